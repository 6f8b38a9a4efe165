"""Forgets to return anything from cubic_gradients.

base: stub
expect: cubic_gradients_known_values: failed "should be a pair (dy_dx, dy_dc), got None"
expect: *: not attempted
"""


def cubic_gradients(x, c):
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * x**3
    tape.gradient(y, [x, c])
