"""Starts counting at 1: every count is one too many.

loses: collatz_steps_known_values collatz_steps_beyond_the_examples
"""


def make_collatz_steps():
    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
    def collatz_steps(n):
        steps = tf.constant(1)
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps
    return collatz_steps
