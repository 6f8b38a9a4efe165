"""Hard-codes the digits' 8x8 input: build_cnn(input_shape=(28, 28, 1)) cannot take MNIST.

loses: cnn_outputs_logits
"""


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    return tf.keras.Sequential([
        tf.keras.Input(shape=(8, 8, 1)),
        tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(num_classes),
    ])
