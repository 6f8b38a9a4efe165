"""Calls sys.exit() inside an exercise.

base: stub
expect: standardize_matches_numpy: error "raised SystemExit"
expect: *: not attempted
"""
import sys


def standardize(x, axis=0):
    sys.exit(1)
