"""Wraps the argument in tf.constant inside the tf.function: tf.constant takes Python values, not a
symbolic tensor, so tracing raises TypeError.

loses: collatz_steps_known_values collatz_graph_has_loop_and_branch collatz_steps_beyond_the_examples
"""


def make_collatz_steps():
    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
    def collatz_steps(n):
        n = tf.constant(n, dtype=tf.int32)
        steps = tf.constant(0)
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps
    return collatz_steps
