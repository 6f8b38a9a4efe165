"""The verdict vocabulary of a check: `fail(...)` says what is wrong, `measured(...)` what a
threshold was compared with, `short(...)` shows a learner's value safely.

Checks raise `CheckFailed` through `fail(...)`; the grading process (execute/check_runner.py)
turns that, a `NotImplementedError` from an untouched stub, or any other exception from learner
code into one line of feedback (feedback/learner_errors.py words the exceptions).
"""

import numpy as np


class CheckFailed(AssertionError):
    """A check's verdict: the learner's answer is wrong, with what to fix."""

    def __init__(self, what, should=None, got=None, hint=None):
        self.what, self.should, self.got, self.hint = what, should, got, hint
        super().__init__(self.describe())

    def describe(self):
        text = self.what
        if self.should is not None:
            text += f" should be {self.should}"
        if self.got is not None:
            text += f", got {self.got}"
        text += "."
        if self.hint:
            text += f" Hint: {self.hint}"
        return text


def fail(what, should=None, got=None, hint=None):
    """Stop the check: `<what> should be <should>, got <got>. Hint: <hint>`."""
    __tracebackhide__ = True
    raise CheckFailed(what, should, got, hint)


MEASURED = []  # (what, value, threshold, at_most) recorded by checks; read by `make flake-check`


def measured(what, value, threshold, at_most=False):
    """Record how a measured value compares with its threshold, so margins can be reported."""
    MEASURED.append((what, float(value), float(threshold), at_most))
    return value


def short(value, limit=80):
    """A compact, safe repr of a learner's value for a message (never calls a learner's __eq__)."""
    try:
        if isinstance(value, np.ndarray) or type(value).__name__ in ("EagerTensor", "ResourceVariable"):
            array = np.asarray(value)
            text = np.array2string(array, precision=4, threshold=6, edgeitems=2).replace("\n", "")
            text = f"{text} (shape {array.shape}, {array.dtype})"
        else:
            text = repr(value)
    except Exception:  # a learner's __repr__ may raise
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
