"""A small rotation and a contrast change (both keep the label), then a shift."""


def make_augmentation():
    return tf.keras.Sequential([
        tf.keras.layers.RandomRotation(factor=0.08),
        tf.keras.layers.RandomContrast(0.2),
        tf.keras.layers.RandomTranslation(0.1, 0.1),
    ])
