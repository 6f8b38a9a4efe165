"""Calls the base without training=False: it follows fit's training=True once unfrozen.

loses: transfer_model_calls_base_in_inference_mode
"""


def build_transfer_model(base, num_classes=5):
    base.trainable = False
    inputs = tf.keras.Input(shape=(8, 8, 1))
    x = tf.keras.layers.Dropout(0.2)(base(inputs))
    outputs = tf.keras.layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs)
