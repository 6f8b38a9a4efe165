"""A base given a name of its own (issue 13), mobilenet_v2.preprocess_input on the Input tensor,
and the pooling kept as a 1x1 map and flattened."""


def build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None):
    backbone = tf.keras.applications.MobileNetV2(include_top=False, weights=weights,
                                                 input_shape=input_shape, name="backbone")
    backbone.trainable = False
    pixels = tf.keras.Input(shape=input_shape, name="pixels")
    x = tf.keras.applications.mobilenet_v2.preprocess_input(pixels)
    x = backbone(x, training=False)
    x = tf.keras.layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dropout(0.2)(x)
    return tf.keras.Model(pixels, tf.keras.layers.Dense(num_classes)(x), name="transfer_net")
