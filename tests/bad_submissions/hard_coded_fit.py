"""Returns the documented parameters (3, -2) instead of fitting: fails on the second line.

base: reference
expect: fit_linear_recovers_parameters: failed "the fitted (w, b) for y = -1.5x + 0.5"
expect: *: passed
"""


def fit_linear(x, y, epochs=100, learning_rate=0.1):
    model = LinearModel()
    model.w.assign(3.0)
    model.b.assign(-2.0)
    return model
