"""Feeds MobileNetV2 raw [0, 255] pixels: no preprocess_input or Rescaling.

loses: mobilenet_preprocessing_maps_to_unit_range
"""


def build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None):
    base = tf.keras.applications.MobileNetV2(include_top=False, weights=weights, input_shape=input_shape)
    base.trainable = False
    inputs = tf.keras.Input(shape=input_shape)
    x = base(inputs, training=False)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    outputs = tf.keras.layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs)
