"""RandomRotation(0.5): a factor is a fraction of a full turn, so digits turn by up to 180
degrees (a 6 becomes a 9).

loses: augmentation_keeps_labels
"""


def make_augmentation():
    return tf.keras.Sequential([
        tf.keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
        tf.keras.layers.RandomRotation(0.5, fill_mode="constant"),
    ])
