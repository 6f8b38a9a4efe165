"""Copies the cats-and-dogs tutorial's augmentation: a horizontal flip turns digits into other symbols.

loses: augmentation_keeps_labels
"""


def make_augmentation():
    return tf.keras.Sequential([
        tf.keras.layers.RandomFlip("horizontal"),
        tf.keras.layers.RandomRotation(0.1),
        tf.keras.layers.RandomZoom(0.1),
    ])
