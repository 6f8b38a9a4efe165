"""MobileNetV2's own pooling="avg" option instead of a separate pooling layer (issue 13)."""


def build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None):
    base = tf.keras.applications.MobileNetV2(include_top=False, weights=weights,
                                             input_shape=input_shape, pooling="avg")
    base.trainable = False
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.layers.Rescaling(1.0 / 127.5, offset=-1.0)(inputs)
    x = base(x, training=False)
    x = tf.keras.layers.Dropout(0.2)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(num_classes)(x))
