"""How a check says what is wrong: the part and exercise, what it should be, what it got, a hint.

Checks raise `CheckFailed` through `fail(...)`; the plugin turns that, a `NotImplementedError`
from an untouched stub, or any other exception from learner code into one line of feedback.
"""

import errno
import re

import numpy as np

from autograder import learner_errors

NOT_ATTEMPTED = "not attempted yet"


class CheckTimeout(BaseException):
    """A check's or an import's time ran out; a BaseException so a learner's `except Exception`
    cannot swallow it."""


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


def is_untouched_stub(error):
    """Was this raised by an untouched stub?

    A `.py` stub raises NotImplementedError("partN: exercise"); an nbgrader notebook's stub is
    nbgrader's own bare `raise NotImplementedError()`.
    """
    if not isinstance(error, NotImplementedError):
        return False
    return str(error) == "" or re.match(r"part\d: [\w.]+$", str(error)) is not None


def describe_learner_error(error, learner_file=None, objects=(), hint_for=None):
    """One line for an exception raised by learner code: the error's telling line, the learner's
    line it passed through, the call the check made into their code, and a hint.

    objects: the learner's objects the check received (their globals mark the learner's frames
    when there is no file, as in a notebook). hint_for: names of the learner's functions the error
    passed through (innermost first) -> a hint or None.
    """
    if is_untouched_stub(error):
        return NOT_ATTEMPTED
    if getattr(error, "errno", None) == errno.EFBIG:
        from autograder.limits import FILE_BYTES

        return f"your code wrote a file larger than {FILE_BYTES // 2**20} MB, the grader's cap on files."
    try:
        return describe_in_detail(error, learner_errors.LearnerCode(learner_file, objects), hint_for)
    except Exception:  # an error too unusual to read must still leave a message, and the report
        first = (learner_errors.message_text(error).splitlines() or [""])[0][:200]
        return f"your code raised {type(error).__name__}{': ' + first if first else ''}."


def describe_in_detail(error, learner, hint_for):
    """The line describe_learner_error gives; learner: a learner_errors.LearnerCode."""
    line = learner_errors.telling_line(error)
    location = learner_errors.learner_location(error, learner)
    names = learner_errors.learner_names(error, learner)
    subject = "your code raised" if location or names else "using what your code returned raised"
    text = f"{subject} {type(error).__name__}{': ' + line if line else ''}"
    if location:
        filename, number, source = location
        text += f" (line {number} of your file: {source})" if filename == learner.file else \
            f" (in your code: {source})"
    call = learner_errors.learner_call(error, learner)
    if call:
        text += f". The check called {call}"
    hint = hint_for(names) if hint_for else None
    return text + "." + (f" Hint: {hint}" if hint else "")
