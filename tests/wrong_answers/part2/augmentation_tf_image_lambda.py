"""Augments with tf.image in a Lambda layer: it acts at inference too (Lambda ignores training).

loses: augmentation_random_only_when_training
"""


def make_augmentation():
    return tf.keras.Sequential([
        tf.keras.layers.Lambda(lambda images: tf.image.random_brightness(images, 0.2)),
    ])
