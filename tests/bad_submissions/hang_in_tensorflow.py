"""An endless loop inside a TensorFlow graph: no Python runs, so only the parent can stop it, at
the check's budget (15 s) and a few seconds' grace, with the exercise's timeout hint.

base: stub
expect: standardize_matches_numpy: error "timed out after 15 s while running this check. Hint: the usual cause is"
expect: *: not attempted
problem: part 1: timeout
"""


def standardize(x, axis=0):
    @tf.function
    def forever(i):
        return tf.while_loop(lambda i: i >= 0, lambda i: i + 1, [i])
    return forever(tf.constant(0, dtype=tf.int64))
