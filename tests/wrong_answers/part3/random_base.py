"""Rebuilds the base's layers (clone_model) instead of keeping the loaded network: the layers are
the same, their weights random and untrained.

loses: base_is_frozen_pretrained_features head_reaches_accuracy_on_new_digits
"""


def load_frozen_base():
    full = tf.keras.models.clone_model(pretrained.load_base())
    base = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")
    base.trainable = False
    return base
