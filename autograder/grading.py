"""Run one check against one learner module and say what happened, whatever the learner's code does.

Used by the pytest plugin for `make grade` and by the repository's tests, which grade many
wrong answers in one process. What a Python-level `try` cannot catch (a hang inside a TensorFlow
kernel, a segfault, os._exit, running out of memory) is caught one level up, by run.py.
"""

import contextlib
import pathlib
import signal

from autograder import environment, feedback, hints
from autograder.feedback import CheckTimeout


def on_alarm(signum, frame):
    raise CheckTimeout()


@contextlib.contextmanager
def alarm(seconds):
    """Raise CheckTimeout in this (main) thread after `seconds` of wall-clock time."""
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_check(graded, module, seed=environment.SEED, guard=None, timeout=None):
    """Return (status, message): status is passed, failed, not attempted or error.

    seed: the grader's seed for this check. guard: an integrity.Guard whose snapshot predates the
    learner's import; anything the check's run replaced is restored and costs the check.
    timeout: seconds, at most the check's own.
    """
    missing = [name for name in graded.wants if not hasattr(module, name)]
    if missing:
        return "failed", (f"your file has no `{missing[0]}`. Keep the names of the stub "
                          "(did you rename or delete it?).")
    environment.reset_state(seed)
    learner_file = pathlib.Path(module.__file__)
    objects = [getattr(module, name) for name in graded.wants]
    seconds = min(graded.timeout, timeout or graded.timeout)
    outcome = "passed", ""
    try:
        with alarm(seconds):
            graded.function(*objects)
    except CheckTimeout:
        outcome = "error", f"timed out after {seconds:g} s (is there an endless loop?)"
    except feedback.CheckFailed as failure:
        outcome = "failed", failure.describe()
    except MemoryError:
        outcome = "error", "your code ran out of memory (MemoryError): is an array far too large?"
    except Exception as error:
        status = "not attempted" if feedback.is_untouched_stub(error) else "error"
        outcome = status, feedback.describe_learner_error(
            error, learner_file, objects,
            hint_for=lambda names: hints.error_hint(graded.part, [*names, graded.exercise]))
    except (SystemExit, KeyboardInterrupt) as error:
        outcome = "error", f"your code raised {type(error).__name__} (sys.exit?) during the check"
    tampered = guard.restore() if guard is not None else []
    if tampered:
        outcome = "error", (f"your code replaced {', '.join(tampered[:3])}"
                            f"{' and more' if len(tampered) > 3 else ''}, which the grader relies "
                            "on; it was put back and this check scores zero.")
    return outcome
