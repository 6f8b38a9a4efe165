"""Asks TensorFlow for a 4 TB tensor.

base: stub
expect: standardize_matches_numpy: error "your code raised ResourceExhaustedError"
expect: *: not attempted
problem: part 1: out of memory
"""


def standardize(x, axis=0):
    return tf.zeros([10**6, 10**6], dtype=tf.float32)
