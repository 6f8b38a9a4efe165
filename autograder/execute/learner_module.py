"""Import a learner's file in the grading process, whatever state it is in.

The module is imported by path under a private name, so a learner's file can never shadow the
grader's own modules, and nothing in the learner's folder is put on `sys.path`.
"""

import importlib.util
import sys

from autograder.execute.check_runner import CheckTimeout
from autograder.feedback.learner_errors import describe_learner_error


class SubmissionError(Exception):
    """The learner's file is missing or could not be imported; the message says why."""


def import_part(path, part):
    """Import the learner's file; raise SubmissionError with a one-line reason if it fails."""
    name = f"submission_part{part}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Keras and dataclasses look classes up by module name
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        del sys.modules[name]
        raise SubmissionError(
            f"your file has a syntax error at line {error.lineno}: {error.msg}"
            f" ({(error.text or '').strip()}). Fix it and run the grader again."
        ) from None
    except CheckTimeout:
        del sys.modules[name]
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        del sys.modules[name]
        raise SubmissionError(
            "your file could not be imported: " + describe_learner_error(error, path)
        ) from None
    return module
