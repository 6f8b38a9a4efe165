"""After grading a class: what the class got wrong (class_report.py over class_statistics.py and
plots.py), who copied (similarity.py over learner_files.py) and grades into the LMS
(lms_export.py), from one model of a graded class (class_results.py) read from grade-batch's
results or nbgrader's gradebook (sources.py, nbgrader_gradebook.py).

Instructor-only, on the instructor's side: it reads what grading wrote (results.json, grades.csv,
nbgrader's gradebook) and the learners' files as text, and never imports or runs a learner's code
nor TensorFlow. May import autograder's checkkit/ (the parts), feedback/ (the report's wording)
and intake/ (a notebook turned into a module).
"""
