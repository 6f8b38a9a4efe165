"""Rebuilds the base from the recipe instead of loading it: random, untrained weights.

loses: base_is_frozen_pretrained_features head_reaches_accuracy_on_new_digits
"""


def load_frozen_base():
    full = pretrained.build_base_recipe()
    base = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")
    base.trainable = False
    return base
