"""What checks may use: the registry (`@check`), thresholds, time budgets and process limits, what
can be learnt of a tf.function or a Keras model (tf_inspect), files for the learner (artifacts),
the verdict vocabulary (`fail`, `measured`, `short`), `phase()` for the live line, and the quiet,
seeded TensorFlow every check starts from (environment).

Runs in the grading process, under the learner's code; the registry's names, the limits and the
budgets are read by the parent too, so nothing here imports TensorFlow at module level but
tf_inspect. May import coursekit/ only; imported by every other folder of the grader.
"""
