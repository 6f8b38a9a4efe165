"""Ends with a softmax while the loss says from_logits=True: the model returns probabilities.

(Keras 3 notices the Softmax and quietly trains on the logits under it, with a warning, so the
accuracy stays high: only the check of the outputs sees the mistake.)

loses: cnn_outputs_logits
"""


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Dropout(0.25)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(128, activation="relu")(x)
    x = tf.keras.layers.Dropout(0.5)(x)
    probabilities = tf.keras.layers.Dense(num_classes, activation="softmax")(x)
    return tf.keras.Model(inputs, probabilities)
