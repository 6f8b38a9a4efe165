"""One line of feedback for an exception a learner's code raised, or for an untouched stub.

The reading of the exception (its telling line, the learner's line, the call the check made)
is tracebacks.py's; this module puts them into the sentence the learner reads. The hint is the
catalogue's sentence for a known TensorFlow error (known_errors.py), which names its cause, and
then, or else, the exercise's own hint (hints.py, through `hint_for`).
"""

import errno
import re

from autograder.checkkit.limits import FILE_BYTES
from autograder.feedback import known_errors, tracebacks

NOT_ATTEMPTED = "not attempted yet"


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
        return f"your code wrote a file larger than {FILE_BYTES // 2**20} MB, the grader's cap on files."
    try:
        return describe_in_detail(error, tracebacks.LearnerCode(learner_file, objects), hint_for)
    except Exception:  # an error too unusual to read must still leave a message, and the report
        first = (tracebacks.message_text(error).splitlines() or [""])[0][:200]
        return f"your code raised {type(error).__name__}{': ' + first if first else ''}."


def describe_in_detail(error, learner, hint_for):
    """The line describe_learner_error gives; learner: a tracebacks.LearnerCode."""
    line = tracebacks.telling_line(error)
    location = tracebacks.learner_location(error, learner)
    names = tracebacks.learner_names(error, learner)
    subject = "your code raised" if location or names else "using what your code returned raised"
    text = f"{subject} {type(error).__name__}{': ' + line if line else ''}"
    if location:
        filename, number, source = location
        text += f" (line {number} of your file: {source})" if filename == learner.file else \
            f" (in your code: {source})"
    call = tracebacks.learner_call(error, learner)
    if call:
        text += f". The check called {call}"
    hint = hint_of(error, names, hint_for)
    return text + "." + (f" Hint: {hint}" if hint else "")


def hint_of(error, names, hint_for):
    """The catalogue's sentence for a known error, then the exercise's hint where its shapes and
    dtypes still help; else the exercise's hint alone (or None)."""
    exercise = hint_for(names) if hint_for else None
    known = known_errors.for_error(error, tracebacks.message_text(error))
    if known is None:
        return exercise
    return known.sentence + (f" Here: {exercise}" if exercise and known.with_contract else "")
