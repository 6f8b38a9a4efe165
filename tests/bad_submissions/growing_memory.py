"""Keeps reserving 512 MB blocks (a runaway cache): the address-space cap refuses one, and that
check alone is lost.

base: stub
expect: standardize_matches_numpy: error "ran out of memory"
expect: *: not attempted
problem: part 1: out of memory
"""
import numpy as np


def standardize(x, axis=0):
    blocks = []
    while True:
        blocks.append(np.empty(512 * 2**20, dtype=np.uint8))
