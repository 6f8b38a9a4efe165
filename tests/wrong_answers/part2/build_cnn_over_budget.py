"""Twice the filters and units: a good network, but over the 200,000-parameter budget.

loses: cnn_has_convolution_within_budget
"""


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu")(inputs)
    x = tf.keras.layers.Conv2D(128, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(256, activation="relu")(x)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(num_classes)(x))
