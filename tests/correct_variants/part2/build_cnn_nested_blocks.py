"""Convolution blocks as nested Sequential models inside a functional model, with names of its
own and a separate Activation layer on the logits' side (linear, so still logits)."""


def conv_block(filters, name):
    return tf.keras.Sequential([
        tf.keras.layers.Conv2D(filters, 3, padding="same"),
        tf.keras.layers.ReLU(),
    ], name=name)


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    images = tf.keras.Input(shape=input_shape, name="pixels")
    x = conv_block(32, "block_a")(images)
    x = conv_block(64, "block_b")(x)
    x = tf.keras.layers.MaxPool2D(pool_size=(2, 2), name="shrink")(x)
    x = tf.keras.layers.Flatten(name="features")(x)
    x = tf.keras.layers.Dense(96, activation="relu", name="hidden")(x)
    x = tf.keras.layers.Dropout(0.3)(x)
    x = tf.keras.layers.Dense(num_classes, name="scores")(x)
    return tf.keras.Model(inputs=images, outputs=tf.keras.layers.Activation("linear")(x),
                          name="my_cnn")
