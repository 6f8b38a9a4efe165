"""Run one check against one learner module and say what happened, whatever the learner's code does.

Used by the pytest plugin for `make grade` and by the repository's tests, which grade many
wrong answers in one process.
"""

import pathlib
import signal

from autograder import environment, feedback


class CheckTimeout(BaseException):
    """Raised by the alarm; a BaseException so that a learner's `except Exception` cannot eat it."""


def on_alarm(signum, frame):
    raise CheckTimeout()


def run_check(graded, module):
    """Return (status, message): status is passed, failed, not attempted or error."""
    missing = [name for name in graded.wants if not hasattr(module, name)]
    if missing:
        return "failed", (f"your file has no `{missing[0]}`. Keep the names of the stub "
                          "(did you rename or delete it?).")
    environment.reset_state()
    learner_file = pathlib.Path(module.__file__)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, graded.timeout)
    try:
        graded.function(*(getattr(module, name) for name in graded.wants))
    except CheckTimeout:
        return "error", f"timed out after {graded.timeout:g} s (is there an endless loop?)"
    except feedback.CheckFailed as failure:
        return "failed", failure.describe()
    except Exception as error:
        status = "not attempted" if feedback.is_untouched_stub(error) else "error"
        return status, feedback.describe_learner_error(error, learner_file)
    except (SystemExit, KeyboardInterrupt) as error:
        return "error", f"your code raised {type(error).__name__} (sys.exit?) during the check"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return "passed", ""
