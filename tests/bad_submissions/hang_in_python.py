"""An endless Python loop in one exercise: that check times out at its budget (15 s, the floor of
autograder/checkkit/budgets.py), naming the learner's line that was running; the others are graded.

base: stub
expect: standardize_matches_numpy: error "timed out after 15 s while running this check (line"
expect: *: not attempted
problem: part 1: timeout
"""


def standardize(x, axis=0):
    while True:
        pass
