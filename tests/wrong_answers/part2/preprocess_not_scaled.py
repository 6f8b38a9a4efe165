"""Forgets to scale: the pixels stay 0-16 (the network still trains, even better: only preprocess shows it).

loses: preprocess_scales_and_adds_channel
"""


def preprocess(images, labels):
    scaled = np.asarray(images, dtype=np.float32)[..., np.newaxis]
    return scaled, np.asarray(labels, dtype=np.int64)
