"""Always standardises along axis 0, whatever `axis` says.

loses: standardize_matches_numpy
"""


def standardize(x, axis=0):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    mean = tf.reduce_mean(x, axis=0, keepdims=True)
    std = tf.math.reduce_std(x, axis=0, keepdims=True)
    standardized = (x - mean) / std
    return standardized
