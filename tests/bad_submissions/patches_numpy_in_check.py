"""Patches NumPy from inside an exercise and returns garbage: that check scores zero, and the
next checks run against the real NumPy again.

base: stub
expect: standardize_matches_numpy: error "your code replaced numpy.allclose"
expect: *: not attempted
problem: part 1: tampering
"""
import numpy


def standardize(x, axis=0):
    numpy.allclose = lambda *args, **kwargs: True
    return tf.zeros_like(x)
