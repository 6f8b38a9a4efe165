"""One pytest test per graded check; plugin.py parametrizes and runs them."""


def test_check(graded_check, grade):
    grade(graded_check)
