"""What an instructor does with a class: grading it (on one machine or a Dask cluster) and what
comes after, the class report, similar submissions, grades for an LMS. Instructor-only: never
shipped to learners. It reads what grading wrote (results.json, grades.csv, nbgrader's gradebook)
and learners' files as text; it never imports or runs a learner's code.
"""
