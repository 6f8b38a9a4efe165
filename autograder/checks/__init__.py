"""Graded checks, one module per part; each check is registered with @check (checkkit/registry.py).

Runs in the grading process (and in a notebook's kernel, for its formative test cells). A check
module may import checkkit/ (what checks may use), coursekit/, TensorFlow, NumPy and
scikit-learn; nothing else of the grader.

Copies of this package travel with the course's releases (handout/helpers.py), and there
`partN.py` lacks its hidden checks; the hidden ones run only where the repository's own grader
grades (make grade here, make autograde, Gradescope).
"""

import importlib

from autograder.checkkit import registry


def checks_for(part):
    """The checks of one part, in definition order, loading its module on first use."""
    importlib.import_module(f"autograder.checks.part{part}")
    return registry.registered(part)
