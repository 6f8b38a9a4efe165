"""Returns the labels as they came (int32 stays int32), not the int64 the docstring promises.

loses: preprocess_scales_and_adds_channel
"""


def preprocess(images, labels):
    return (np.asarray(images, dtype=np.float32) / 16.0)[..., np.newaxis], np.asarray(labels)
