"""Find a learner's file for each part, whatever was given: a folder, one file, a notebook.

A submission is a folder holding `partN_*.py` files (the default is `exercises/`), or a single
file: a `.py` file of any name, graded as the part it is given for (or that its name says), or
the course's notebook of a part, turned into the file nbgrader's autograde would grade
(from_notebook.py). Reads files only; importing the learner's module is the grading process's
(execute/learner_module.py).
"""

import pathlib
import re

from autograder.checkkit.environment import ROOT
from autograder.checkkit.registry import PARTS
from autograder.intake import from_notebook


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
    module.write(scratch, PARTS[part])
    for note in module.notes:
        print(f"Note on {path.name}: {note}", flush=True)
    return scratch


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
