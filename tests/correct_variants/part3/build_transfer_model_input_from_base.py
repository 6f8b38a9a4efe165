"""Takes the input shape from the base, freezes it layer by layer as well, names nothing."""


def build_transfer_model(base, num_classes=5):
    for layer in base.layers:
        layer.trainable = False
    base.trainable = False
    inputs = tf.keras.Input(shape=base.input_shape[1:])
    x = base(inputs, training=False)
    x = tf.keras.layers.Dropout(rate=0.2)(x)
    logits = tf.keras.layers.Dense(units=num_classes, activation=None)(x)
    return tf.keras.Model(inputs=inputs, outputs=logits)
