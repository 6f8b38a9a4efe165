"""Returns a string instead of a tensor.

base: stub
expect: standardize_matches_numpy: failed "should be a tensor, got a str"
expect: *: not attempted "not attempted yet"
"""


def standardize(x, axis=0):
    return "standardized"
