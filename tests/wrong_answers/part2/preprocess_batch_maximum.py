"""Divides by the batch's own maximum: right on the full digits (max 16), wrong on any other batch.

loses: preprocess_scales_and_adds_channel
"""


def preprocess(images, labels):
    images = np.asarray(images, dtype=np.float32)
    return (images / images.max())[..., np.newaxis], np.asarray(labels, dtype=np.int64)
