"""A zoom and a shift, in a Sequential built with add()."""


def make_augmentation():
    augmentation = tf.keras.Sequential(name="augment")
    augmentation.add(tf.keras.layers.RandomZoom(0.1, fill_mode="constant"))
    augmentation.add(tf.keras.layers.RandomTranslation(height_factor=0.1, width_factor=0.1))
    return augmentation
