"""Takes the inner gradient after the outer tape has closed, so the outer tape never sees it.

loses: second_derivative_known_functions
"""


def second_derivative(f, x):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
    df_dx = inner.gradient(y, x)
    d2f_dx2 = outer.gradient(df_dx, x)
    return d2f_dx2
