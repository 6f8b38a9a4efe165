"""Prints 100 MB: the output cap stops that check; the others are graded.

base: stub
expect: standardize_matches_numpy: error "wrote more than 64 MB"
expect: *: not attempted
"""


def standardize(x, axis=0):
    line = "x" * 1023
    for _ in range(100 * 1024):
        print(line)
