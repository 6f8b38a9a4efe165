"""An endless Python loop in one exercise: that check times out, the others are graded.

base: stub
expect: standardize_matches_numpy: error "timed out after 15 s"
expect: *: not attempted
problem: part 1: timeout
"""


def standardize(x, axis=0):
    while True:
        pass
