"""nbgrader's autograde and feedback, with the grade coming from the course's own engine, not a kernel.

nbgrader normally executes each submitted notebook in a Jupyter kernel and scores a test cell by
whether it raised. Then a learner's cell can change what a test cell does (one line replacing
`grade_cell` made every later test pass). Here nothing of the learner's runs in nbgrader's
process or in a kernel: course/nbgrader_config.py puts these steps, one a file, into its
pipelines (the lists there say in which order):

    ReviewSubmission        autograde, sanitising, before nbgrader's OverwriteCells: notes what
                            the learner did to test and read-only cells, and quietly restores the
                            hidden test cells as released, so only real edits reach nbgrader's
                            warnings
    GradeWithEngine         autograde, in place of nbgrader's Execute: the notebook's module is
                            graded by the course's engine (handout/pregrade.py), and each test
                            cell's outcome is written as its output; nbgrader's SaveAutoGrades then
                            scores the cells as usual, so the gradebook, formgrader, feedback and
                            export work unchanged
    SummarizeChecks         feedback: a table of every test cell, named by its check, on top
    ShortenHiddenTestErrors feedback: a failed hidden test shows its one-line message only
    WrapOutputs             feedback: long messages wrap instead of running off the page

Formgrader's Autograde button loads the same config, so it grades the same way. Runs in
nbgrader's process on the instructor's machine; imports nbgrader, handout/pregrade.py and the
grader's intake and feedback wording, never a learner's code.
"""
