"""The parity from the lowest bit, the count increased inside each branch."""


def make_collatz_steps():
    @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
    def collatz_steps(n):
        steps = tf.constant(0, dtype=tf.int32)
        while n != 1:
            if tf.bitwise.bitwise_and(n, 1) == 0:
                n //= 2
                steps += 1
            else:
                n = 3 * n + 1
                steps += 1
        return steps

    return collatz_steps
