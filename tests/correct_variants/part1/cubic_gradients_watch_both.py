"""Watches both by hand (no automatic watching) and asks for a dict of gradients."""


def cubic_gradients(x, c):
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch([x, c])
        y = c * x * x * x
    gradients = tape.gradient(y, {"x": x, "c": c})
    return gradients["x"], gradients["c"]
