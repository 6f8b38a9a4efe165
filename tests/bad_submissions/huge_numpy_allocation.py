"""Asks NumPy for 800 GB: the memory cap turns it into a MemoryError for that check alone.

base: stub
expect: standardize_matches_numpy: error "ran out of memory"
expect: *: not attempted
problem: part 1: out of memory
"""
import numpy as np


def standardize(x, axis=0):
    return np.ones(10**11)
