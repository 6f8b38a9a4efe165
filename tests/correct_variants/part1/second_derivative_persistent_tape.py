"""One persistent tape that records its own first gradient."""


def second_derivative(f, x):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        first = tape.gradient(f(x), x)
    return tape.gradient(first, x)
