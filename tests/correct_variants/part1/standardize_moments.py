"""tf.nn.moments and the reciprocal square root."""


def standardize(x, axis=0):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    mean, variance = tf.nn.moments(x, axes=[axis], keepdims=True)
    return (x - mean) * tf.math.rsqrt(variance)
