"""Grading a class: `make grade-batch` (batch.py) grades one folder per learner with warm graders
on this machine (local.py, warm_grader.py) or on a Dask cluster (cluster.py; local_cluster.py
starts a real one for the tests and `make bench`), each from a grader-only tree
(grader_tree.py), reads each learner's record (learner.py), writes the gradebook (gradebook.py)
and shows where the batch stands (progress.py). After grading, review/ reads what grading wrote:
the class report, similar submissions, the LMS export, leaderboard entries.

Instructor-only: never shipped to learners (releases, the student repository and the Gradescope
zip carry autograder/ and coursekit/ only). Runs outside every grading process and never imports
a learner's code: each learner is graded by `python -m autograder`'s engine (autograder/supervise),
whose grading processes alone run it. May import autograder's checkkit/, feedback/, intake/,
supervise/ and execute/sandbox.py; autograder never imports it.
"""
