"""Reads the tensor's value with .numpy() inside the tf.function: in a graph a tensor is symbolic
and has no value yet, so tracing raises AttributeError.

loses: collatz_steps_known_values collatz_graph_has_loop_and_branch collatz_steps_beyond_the_examples
"""


def make_collatz_steps():
    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
    def collatz_steps(n):
        value = n.numpy()
        steps = 0
        while value > 1:
            value = value // 2 if value % 2 == 0 else 3 * value + 1
            steps += 1
        return tf.constant(steps)
    return collatz_steps
