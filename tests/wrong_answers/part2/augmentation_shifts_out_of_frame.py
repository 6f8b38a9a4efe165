"""RandomTranslation(1.0, 1.0): shifts of up to the whole image move most digits out of the frame.

loses: augmentation_keeps_labels
"""


def make_augmentation():
    return tf.keras.Sequential([
        tf.keras.layers.RandomTranslation(1.0, 1.0, fill_mode="constant"),
        tf.keras.layers.RandomRotation(0.05, fill_mode="constant"),
    ])
