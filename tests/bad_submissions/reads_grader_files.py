"""Reads the grader's check code, which the sandbox lets it read (see the README: what is left),
and a file outside the submission, Python and the grader, which the sandbox refuses; it gains
nothing either way, since expected values are computed, not stored.

base: stub
expect: standardize_matches_numpy: failed "should be a tensor"
expect: cubic_gradients_known_values: error "your code runs in a sandbox: it may read only your own files"
expect: *: not attempted
"""
import pathlib

import autograder.checks.part1


def standardize(x, axis=0):
    return pathlib.Path(autograder.checks.part1.__file__).read_text()


def cubic_gradients(x, c):
    return pathlib.Path("/etc/hostname").read_text()
