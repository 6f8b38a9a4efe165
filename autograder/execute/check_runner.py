"""Run one check against one learner module and say what happened, whatever the learner's code does.

Used by the pytest plugin for `make grade`, by the notebooks' test cells and by the repository's
tests, which grade many wrong answers in one process. What a Python-level `try` cannot catch (a
hang inside a TensorFlow kernel, a segfault, os._exit, running out of memory) is caught one level
up, by the parent that watches the grading process (supervise/).
"""

import pathlib
import signal

from autograder.checkkit import environment
from autograder.checkkit.verdict import CheckFailed
from autograder.feedback import hints, tracebacks
from autograder.feedback.learner_errors import describe_learner_error, is_untouched_stub


class CheckTimeout(BaseException):
    """A check's or an import's time ran out; a BaseException so a learner's `except Exception`
    cannot swallow it."""


class Alarm:
    """Raise CheckTimeout in this (main) thread after `seconds` of wall-clock time.

    `fired` says whether it went off: raised while TensorFlow's C++ code is running, the
    CheckTimeout comes out as a RuntimeError ("... REPLACED BY CheckTimeout", pybind11's doing),
    which must still read as a timeout, not as an error in the learner's code.

    Once gone off, it goes off again every REPEAT_SECONDS until the block is left: raised inside a
    `__del__` (TensorFlow's ConcreteFunctionGarbageCollector, say, which runs often while Keras
    trains), the exception is only printed ("Exception ignored in ..."), and TensorFlow drops some
    elsewhere; the code would run on until the parent kills the process (with one alarm, 2 of 90
    Keras `fit` runs measured did).
    """

    REPEAT_SECONDS = 0.25

    def __init__(self, seconds):
        self.seconds, self.fired = seconds, False

    def __enter__(self):
        self.previous = signal.signal(signal.SIGALRM, self.on_alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, self.REPEAT_SECONDS)
        return self

    def __exit__(self, *exception):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)

    def on_alarm(self, signum, frame):
        self.fired = True
        raise CheckTimeout()


def run_check(graded, module, seed=environment.SEED, guard=None, timeout=None):
    """Return (status, message): status is passed, failed, not attempted or error.

    seed: the grader's seed for this check. guard: a tamper_guard.Guard whose snapshot predates the
    learner's import; anything the check's run replaced is restored and costs the check.
    timeout: seconds, at most the check's own.
    """
    missing = [name for name in graded.wants if not hasattr(module, name)]
    if missing and "__notebook_cells__" in vars(module):
        return "failed", (f"your notebook has no `{missing[0]}` once its cells have run: run the cell "
                          "that defines it, and the cells above it, keeping the stub's name.")
    if missing:
        return "failed", (f"your file has no `{missing[0]}`. Keep the names of the stub "
                          "(did you rename or delete it?).")
    environment.reset_state(seed)
    learner_file = pathlib.Path(module.__file__)
    objects = [getattr(module, name) for name in graded.wants]
    seconds = min(graded.timeout, timeout or graded.timeout)
    outcome, timer = ("passed", ""), Alarm(seconds)
    try:
        with timer:
            graded.function(*objects)
    except CheckTimeout as timeout:
        outcome = "error", describe_timeout(timeout, graded, seconds, learner_file, objects)
    except CheckFailed as failure:
        outcome = "failed", failure.describe()
    except MemoryError:
        outcome = "error", "your code ran out of memory (MemoryError): is an array far too large?"
    except Exception as error:
        status = "not attempted" if is_untouched_stub(error) else "error"
        outcome = status, describe_learner_error(
            error, learner_file, objects,
            hint_for=lambda names: hints.error_hint(graded.part, [*names, graded.exercise]))
        if timer.fired:  # the timeout, turned into another exception on its way up (see Alarm)
            outcome = "error", describe_timeout(error, graded, seconds, learner_file, objects)
    except (SystemExit, KeyboardInterrupt) as error:
        outcome = "error", f"your code raised {type(error).__name__} (sys.exit?) during the check"
    tampered = guard.restore() if guard is not None else []
    if tampered:
        outcome = "error", (f"your code replaced {', '.join(tampered[:3])}"
                            f"{' and more' if len(tampered) > 3 else ''}, which the grader relies "
                            "on; it was put back and this check scores zero.")
    return outcome


def describe_timeout(timeout, graded, seconds, learner_file, objects):
    """The timeout message: the learner's line the alarm interrupted (when it was Python code of
    theirs) and the timeout hint of the innermost learner function it was in, else the exercise's."""
    learner = tracebacks.LearnerCode(learner_file, objects)
    try:
        names = tracebacks.learner_names(timeout, learner)
        location = tracebacks.learner_location(timeout, learner)
    except Exception:  # frames too unusual to read: the exercise's hint still helps
        names, location = [], None
    where = ""
    if location:
        filename, number, source = location
        where = (f" (line {number} of your file: {source})" if filename == learner.file
                 else f" (in your code: {source})")  # a notebook's cell
    return hints.timeout_message(graded.part, [*names, graded.exercise], seconds, where)
