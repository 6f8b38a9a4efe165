"""A linear model: Flatten then Dense(num_classes). No convolution, and too weak in 5 epochs.

loses: cnn_has_convolution_within_budget cnn_test_accuracy
"""


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    inputs = tf.keras.Input(shape=input_shape)
    logits = tf.keras.layers.Dense(num_classes)(tf.keras.layers.Flatten()(inputs))
    return tf.keras.Model(inputs, logits)
