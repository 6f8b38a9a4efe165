"""Returns an array subclass whose == always says True, holding wrong values.

base: stub
expect: standardize_matches_numpy: failed "should be"
expect: *: not attempted
"""
import numpy


class AlwaysEqual(numpy.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


def standardize(x, axis=0):
    return numpy.zeros(numpy.shape(x), dtype=numpy.float32).view(AlwaysEqual)
