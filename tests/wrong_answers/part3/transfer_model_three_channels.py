"""Copies MobileNetV2's three-channel input into the digits model: Input(shape=(8, 8, 3)) for
grey (8, 8, 1) images. Keras builds it anyway; its declared input is wrong.

loses: transfer_model_trains_only_a_new_head
"""


def build_transfer_model(base, num_classes=5):
    base.trainable = False
    inputs = tf.keras.Input(shape=(8, 8, 3))
    x = tf.keras.layers.Dropout(0.2)(base(inputs, training=False))
    return tf.keras.Model(inputs, tf.keras.layers.Dense(num_classes)(x))
