"""A class's submissions as text, one per learner and part, and the course's own text of each part.

A learner is a folder (`make grade-batch`'s layout: ada/part1_tf2_basics.py ...; nbgrader's
submitted/<student>/<partN>/partN_*.ipynb is the same shape one level deeper). A part's file is
its `partN_*.py`, else its notebook, which is turned into the Python module the grader grades
(autograder.from_notebook: the learner's solution cells in the course's locked code), so a
notebook and a file compare alike. What every learner was given or could read is the part's
boilerplate: the released stub and the reference, as files and as notebook modules.

Instructor-side; imported by classroom.review.similarity. Reads files only: nothing here runs them.
"""

import dataclasses
import pathlib

from autograder.checkkit.registry import PARTS
from autograder.intake import from_notebook

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent  # the repository
COURSE = ROOT / "course"  # the nbgrader course whose source notebooks turn notebooks into modules
SKIPPED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints"}


@dataclasses.dataclass(frozen=True)
class LearnerFile:
    learner: str
    part: int
    path: pathlib.Path
    text: str


def files_of(folder):
    """Every file under a learner's folder, outside hidden and system folders, shallowest first."""
    found = [p for p in folder.rglob("*") if p.is_file() and not any(
        name.startswith(".") or name in SKIPPED for name in p.relative_to(folder).parts)]
    return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), str(p)))


def pick(files, part, suffix):
    """The part's file: named as the stub is, else any partN_*<suffix>; None if there is none."""
    exact = [p for p in files if p.name == PARTS[part] + suffix]
    loose = [p for p in files if p.suffix.lower() == suffix and p.name.lower().startswith(f"part{part}_")]
    return (exact + loose + [None])[0]


def source_notebook(part, course=COURSE):
    return pathlib.Path(course) / "source" / f"part{part}" / f"{PARTS[part]}.ipynb"


def notebook_text(path, part, course=COURSE):
    """The module the grader builds from a learner's notebook; None if it is not a notebook. The
    course's source notebook must exist (FileNotFoundError names it)."""
    source = source_notebook(part, course)
    if not source.is_file():
        raise FileNotFoundError(f"{path} is a notebook, and reading it needs the course's {source}")
    try:
        return from_notebook.learner_module(from_notebook.read(path), from_notebook.read(source), path.name).source
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def learner_file(folder, part, course=COURSE):
    """The LearnerFile of one learner's part, or None when they handed none in."""
    files = files_of(folder)
    path = pick(files, part, ".py")
    if path is not None:
        return LearnerFile(folder.name, part, path, path.read_text(errors="replace"))
    path = pick(files, part, ".ipynb")
    text = notebook_text(path, part, course) if path is not None else None
    return None if text is None else LearnerFile(folder.name, part, path, text)


def read_class(submissions, parts=None, course=COURSE):
    """{part: [LearnerFile, by learner]} for every learner folder under `submissions`."""
    learners = sorted(p for p in pathlib.Path(submissions).iterdir() if p.is_dir() and not p.name.startswith("."))
    found = {}
    for part in parts or sorted(PARTS):
        files = [f for f in (learner_file(folder, part, course) for folder in learners) if f is not None]
        if files:
            found[part] = files
    return found


def boilerplate(part, course=COURSE, root=ROOT):
    """The course's own text of a part: the stub and the reference, each as a file and as the
    module its notebook becomes (the stub: no solution cell answered; the reference: the source
    notebook's own cells)."""
    texts = [path.read_text() for path in (root / "exercises" / f"{PARTS[part]}.py",
                                           root / "solutions" / f"{PARTS[part]}.py") if path.is_file()]
    source = source_notebook(part, course)
    if source.is_file():
        notebook = from_notebook.read(source)
        texts.append(from_notebook.learner_module({"cells": []}, notebook).source)  # every cell a stub
        texts.append(from_notebook.learner_module(notebook, notebook).source)  # the reference's cells
    return texts
