"""Switches tf.function off for the whole file at import: the grader switches it back on before
every check, so the reference code still gets full marks (and nothing is gained by it).

base: reference
expect: *: passed
"""
tf.config.run_functions_eagerly(True)
