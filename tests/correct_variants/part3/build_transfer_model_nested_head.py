"""The head as a Sequential of its own, called on the base's features."""


def build_transfer_model(base, num_classes=5):
    base.trainable = False
    head = tf.keras.Sequential([tf.keras.layers.Dropout(0.2),
                                tf.keras.layers.Dense(num_classes, activation="linear")],
                               name="new_head")
    inputs = tf.keras.layers.Input(shape=(8, 8, 1))
    return tf.keras.Model(inputs, head(base(inputs, training=False)), name="digits_5_to_9")
