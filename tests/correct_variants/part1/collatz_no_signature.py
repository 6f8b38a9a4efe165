"""A plain @tf.function, tf.math ops for the parity test, the counter as a zeros tensor."""


def make_collatz_steps():
    @tf.function
    def collatz_steps(n):
        count = tf.zeros([], dtype=tf.int32)
        while tf.greater(n, 1):
            if tf.equal(tf.math.floormod(n, 2), 0):
                n = tf.math.floordiv(n, 2)
            else:
                n = n * 3 + 1
            count = count + 1
        return count

    return collatz_steps
