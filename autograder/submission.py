"""Find and import a learner's file for one part, whatever state it is in.

A submission is a folder holding `partN_*.py` files (the default is `exercises/`), or a single
file: a `.py` file of any name, graded as the part it is given for (or that its name says), or
the course's notebook of a part, turned into the file nbgrader's autograde would grade
(from_notebook.py). The module is imported by path under a private name, so a learner's file can
never shadow the grader's own modules, and nothing in the learner's folder is put on `sys.path`.
"""

import importlib.util
import pathlib
import re
import sys

from autograder import feedback
from autograder.registry import PARTS


class Refused(ValueError):
    """A submission the grader cannot take as given; the message says what to give instead."""


def choose(submission, asked, available, scratch):
    """(the path to grade, the parts to grade) for `make grade`'s SUBMISSION and PART.

    A folder: the parts asked, or every part. A single file is one part: the one asked, else the
    one its name says (part1_...). A notebook becomes, in the folder `scratch`, the file that
    nbgrader's autograde grades. Raises Refused with one sentence otherwise.
    """
    path = pathlib.Path(submission)
    if path.is_dir():
        return path.resolve(), asked or available
    if len(asked or []) > 1:
        raise Refused(f"{path.name} is a single file, so it is one part: give one PART, e.g. "
                      f"make grade PART={asked[0]} SUBMISSION={submission}")
    named = re.match(r"part(\d+)_", path.name)
    part = asked[0] if asked else int(named.group(1)) if named and int(named.group(1)) in available else None
    if part is None:
        raise Refused(f"cannot tell which part {path.name} is: name it like the stubs "
                      f"({', '.join(PARTS[p] + '.py' for p in available)}) or say which part, e.g. "
                      f"make grade PART={available[0]} SUBMISSION={submission}")
    if path.suffix == ".py":
        return path.resolve(), [part]
    if path.suffix == ".ipynb":
        return notebook_as_file(path, part, pathlib.Path(scratch)), [part]
    raise Refused(f"{path.name} is neither a Python file (.py) nor a notebook (.ipynb): give your "
                  "exercises/ folder or one of its files")


def notebook_as_file(path, part, scratch):
    """The course's notebook at `path`, as the file nbgrader's autograde grades, in `scratch`."""
    from autograder import from_notebook
    from autograder.environment import ROOT

    released = sorted((ROOT / "course" / "source" / f"part{part}").glob("*.ipynb"))
    if not released:
        raise Refused(f"{path.name} is a notebook, and grading one needs the course's notebooks "
                      f"(course/source/), which this copy does not have: grade your "
                      f"exercises/{PARTS[part]}.py instead")
    try:
        submitted = from_notebook.read(path)
        module = from_notebook.learner_module(submitted, from_notebook.read(released[0]), path.name)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Refused(f"{path.name} could not be read as the course's notebook of part {part}") from None
    graded = scratch / f"{PARTS[part]}.py"
    graded.write_text(module.source)
    for note in module.notes:
        print(f"Note on {path.name}: {note}", flush=True)
    return scratch


class SubmissionError(Exception):
    """The learner's file is missing or could not be imported; the message says why."""


def find_part_file(submission, part):
    """The learner's file for `part` inside `submission` (a folder or a file), or None."""
    path = pathlib.Path(submission)
    if path.is_file():  # one file is graded as the part it was given for (choose() decides)
        return path.resolve() if path.suffix == ".py" else None
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
