"""Find and import a learner's file for one part, whatever state it is in.

A submission is a folder holding `partN_*.py` files (the default is `exercises/`) or a single
such file. The module is imported by path under a private name, so a learner's file can never
shadow the grader's own modules, and nothing in the learner's folder is put on `sys.path`.
"""

import importlib.util
import pathlib
import sys

from autograder import feedback
from autograder.registry import PARTS


class SubmissionError(Exception):
    """The learner's file is missing or could not be imported; the message says why."""


def find_part_file(submission, part):
    """The learner's file for `part` inside `submission` (a folder or a file), or None."""
    path = pathlib.Path(submission)
    if path.is_file():
        return path.resolve() if path.name.startswith(f"part{part}_") else None
    exact = path / f"{PARTS[part]}.py"
    if exact.is_file():
        return exact.resolve()
    others = sorted(path.glob(f"part{part}_*.py"))
    return others[0].resolve() if others else None


def find_part_notebook(submission, part):
    """A notebook of `part` in `submission` (a folder or a file), or None: the learner handed in
    the notebook where the grader wants the .py file."""
    path = pathlib.Path(submission)
    found = [path] if path.is_file() else sorted(path.glob(f"part{part}_*.ipynb"))
    return next((p for p in found if p.name.startswith(f"part{part}_") and p.suffix == ".ipynb"), None)


def parts_in(submission):
    """The part numbers for which `submission` holds a file."""
    return [part for part in PARTS if find_part_file(submission, part) is not None]


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
    except feedback.CheckTimeout:
        del sys.modules[name]
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        del sys.modules[name]
        raise SubmissionError(
            "your file could not be imported: " + feedback.describe_learner_error(error, path)
        ) from None
    return module
