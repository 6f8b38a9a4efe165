"""Graded checks, one module per part; each check is registered with @check (registry.py).

Copies of this package travel with the course's releases (handout/helpers.py), and there
`partN.py` lacks its hidden checks; the hidden ones run only where the repository's own grader
grades (make grade here, make autograde, Gradescope).
"""
