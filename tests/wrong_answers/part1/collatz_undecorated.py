"""Right counts in eager mode, but never a graph: no tf.function, so no While or If.

loses: collatz_graph_has_loop_and_branch
"""


def make_collatz_steps():
    def collatz_steps(n):
        steps = tf.constant(0)
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps
    return collatz_steps
