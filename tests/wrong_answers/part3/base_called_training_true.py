"""Calls the base with training=True ("it is training time, after all").

loses: transfer_model_calls_base_in_inference_mode
"""


def build_transfer_model(base, num_classes=5):
    base.trainable = False
    inputs = tf.keras.Input(shape=(8, 8, 1))
    features = base(inputs, training=True)
    x = tf.keras.layers.Dropout(0.2)(features)
    outputs = tf.keras.layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs)
