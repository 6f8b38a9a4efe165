"""Reads the grader's check code and other files outside the submission. Not prevented (see the
README's threat model): it gains nothing, since expected values are computed, not stored.

base: stub
expect: standardize_matches_numpy: failed "should be a tensor"
expect: *: not attempted
"""
import pathlib

import autograder.checks.part1


def standardize(x, axis=0):
    pathlib.Path("/etc/hostname").read_text()
    return pathlib.Path(autograder.checks.part1.__file__).read_text()
