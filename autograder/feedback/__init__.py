"""How outcomes are worded: an exception of the learner's code in one line (learner_errors.py,
which reads tracebacks with tracebacks.py and names the cause of a known TensorFlow error with
known_errors.py), the hints per exercise (hints.py) and their further levels (hint_levels.py,
shown by `make hint`: hint.py, which records each in the attempt log, attempts.py), the kinds of
problems an instructor sorts a class by (problems.py), the learner's table and Gradescope's
results.json (report.py) with its leaderboard (leaderboard.py), and the lines `make grade` prints
while it runs (terminal.py).

Pure wording: runs on either side of the process boundary (the grading process describes an
error, the parent prints the table) and never imports TensorFlow. May import checkkit/ only.
"""
