"""Scales with TensorFlow ops, then converts back to NumPy."""


def preprocess(images, labels):
    scaled = tf.cast(images, tf.float32)[..., tf.newaxis] / 16.0
    return scaled.numpy(), np.array(labels, dtype="int64")
