"""Raises inside an exercise: the message names the error and the learner's line.

base: stub
expect: standardize_matches_numpy: error "your code raised ValueError: no idea (line"
expect: *: not attempted
"""


def standardize(x, axis=0):
    raise ValueError("no idea")
