"""Forgets tape.watch(c): the gradient with respect to the constant comes back as None.

loses: cubic_gradients_known_values
"""


def cubic_gradients(x, c):
    with tf.GradientTape() as tape:
        y = c * x**3
    dy_dx, dy_dc = tape.gradient(y, [x, c])
    return dy_dx, dy_dc
