"""What comes after grading a class, for instructors only (never shipped to learners): the class
report, similar submissions, grades for an LMS and Gradescope leaderboard entries. It reads what
grading wrote (results.json, grades.csv, nbgrader's gradebook) and learners' files as text; it
never imports or runs a learner's code. It imports from the grader only autograder.registry,
autograder.report and autograder.from_notebook, and materials.banks for its synthetic class.
"""
