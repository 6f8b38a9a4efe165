"""Finding and reading a submission: which file grades which part (choose.py), a learner's
notebook turned into the module the grader grades (from_notebook.py), and what each check
depends on in a learner's file, read by `ast` for `make grade`'s store (dependencies.py, unsure.py).

Reads files only, never imports or runs the learner's code, and never imports TensorFlow: the
parent uses it to decide what to grade, the grading process to find the file it imports, the
Gradescope zip and nbgrader's autograde to turn uploads into files. May import checkkit/ only.
"""
