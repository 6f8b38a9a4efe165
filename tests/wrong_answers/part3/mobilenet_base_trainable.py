"""Forgets to freeze MobileNetV2 and calls it in training mode.

loses: mobilenet_frozen_with_pooled_head
"""


def build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None):
    base = tf.keras.applications.MobileNetV2(include_top=False, weights=weights, input_shape=input_shape)
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    outputs = tf.keras.layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs)
