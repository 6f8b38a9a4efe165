"""Centres first, then divides by the root of the mean square."""


def standardize(x, axis=0):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    centered = x - tf.reduce_mean(x, axis=axis, keepdims=True)
    return centered / tf.sqrt(tf.reduce_mean(tf.square(centered), axis=axis, keepdims=True))
