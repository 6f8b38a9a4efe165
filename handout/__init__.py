"""Hand the course out and grade what comes back, from the single source.

    helpers.py          the grader and coursekit as they travel (hidden checks cut out)
    nbgrader_course.py  nbgrader: release, collect, autograde, feedback, export
    student_repo.py     a learner-facing repository that grades itself (GitHub Classroom)
    gradescope.py       Gradescope autograder zips, one per part

`python -m handout <command>` runs them; the Makefile's last section calls it.
"""
