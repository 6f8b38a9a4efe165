"""Forgets tf.function altogether: right values, but no graph.

loses: scaled_row_norms_traces_once
"""


def make_scaled_row_norms():
    def scaled_row_norms(x, scale):
        return scale * tf.norm(x, axis=1)
    return scaled_row_norms
