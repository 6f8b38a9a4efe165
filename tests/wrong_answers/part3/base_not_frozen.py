"""Never freezes the base: the head's training rewrites the pretrained weights.

loses: base_is_frozen_pretrained_features transfer_model_trains_only_a_new_head head_training_keeps_base_weights
"""


def load_frozen_base():
    full = pretrained.load_base()
    return tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")


def build_transfer_model(base, num_classes=5):
    inputs = tf.keras.Input(shape=(8, 8, 1))
    features = base(inputs, training=False)
    x = tf.keras.layers.Dropout(0.2)(features)
    outputs = tf.keras.layers.Dense(num_classes)(x)
    return tf.keras.Model(inputs, outputs)
