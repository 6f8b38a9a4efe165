"""Keeps 100 MB blocks until memory runs out (a runaway cache).

base: stub
expect: standardize_matches_numpy: error "ran out of memory"
expect: *: not attempted
"""
import numpy as np


def standardize(x, axis=0):
    blocks = []
    while True:
        blocks.append(np.ones(100 * 2**20 // 8))
