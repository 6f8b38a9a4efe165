"""The instructor's nbgrader commands, one assignment per part, with the real nbgrader.

    python -m handout release     [--course course] [--no-validate]
    python -m handout collect
    python -m handout autograde   [--force]
    python -m handout feedback
    python -m handout export      (course/grades.csv)

Each runs `nbgrader ...` in the course folder (course/nbgrader_config.py configures it) for
every assignment under course/source/, so a new part comes along once `make exercises` has
written its notebook. No Jupyter server is involved.

release and autograde first copy the helper modules the notebooks import beside each source
notebook (handout/helpers.py, hidden="beside"). After generate_assignment, release checks what
it is about to hand out: no solution region, no hidden test and no hidden check's name anywhere
in release/partN/, or it stops before anything reaches the exchange.

nbgrader runs without the repository's PYTHONPATH, KERAS_HOME and TF_CPP_MIN_LOG_LEVEL: the
notebooks must import the copies beside them and quiet TensorFlow by themselves, as they do on a
learner's machine.
"""

import os
import pathlib
import subprocess
import sys

from handout import helpers

ROOT = pathlib.Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
FORBIDDEN_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
REPOSITORY_ENVIRONMENT = ("PYTHONPATH", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL")
# nbgrader's converters (generate_assignment, autograde, generate_feedback) take a glob for the
# assignment: one process, one start-up (3-5 s each), for every part. Its exchange commands
# (release_assignment, collect, release_feedback) take one assignment each.
EVERY = "*"


class CourseError(RuntimeError):
    """An nbgrader step failed or would hand out something it must not; the message says which."""


def assignments(course):
    """The assignment ids: every source/<id>/ holding a notebook, in order."""
    return sorted({p.parent.name for p in pathlib.Path(course).glob("source/*/*.ipynb")})


def nbgrader(course, *args):
    """Run one nbgrader command in the course folder; raise CourseError if it fails."""
    env = {k: v for k, v in os.environ.items() if k not in REPOSITORY_ENVIRONMENT}
    # nbgrader runs `alembic` (and kernels run `python`) from PATH: put this venv's first.
    env["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), env.get("PATH", "")])
    command = [sys.executable, "-m", "nbgrader", *args]
    print("$ nbgrader " + " ".join(args), flush=True)
    lines = []
    with subprocess.Popen(command, cwd=course, env=env, stdin=subprocess.DEVNULL, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        for line in process.stdout:  # as it comes: autograding takes minutes
            print(line, end="", flush=True)
            lines.append(line)
    if process.returncode != 0:
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {process.returncode}); "
                          "its log is above")
    return "".join(lines)


def stage_helpers(course):
    """Copy autograder/ and coursekit/ beside every source notebook (hidden checks apart)."""
    for assignment in assignments(course):
        helpers.copy_helpers(ROOT, pathlib.Path(course) / "source" / assignment, hidden="beside")


def audit_release(course, assignment):
    """Raise CourseError if release/<assignment>/ holds a solution, a hidden test or check."""
    folder = pathlib.Path(course) / "release" / assignment
    hidden = [name for names in helpers.hidden_check_names(ROOT).values() for name in names]
    words = list(FORBIDDEN_MARKERS) + hidden + [n.removeprefix("check_") for n in hidden]
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.name == helpers.HIDDEN_DIR:
            problems.append(f"{path.relative_to(course)} exists")
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt", ".json"):
            text = path.read_text(errors="replace")
            problems += [f"{path.relative_to(course)} contains {word!r}" for word in words if word in text]
    if problems:
        raise CourseError("the release would hand out what it must not:\n  " + "\n  ".join(problems))


def release(course=COURSE, validate=True):
    ids = assignments(course)
    if not ids:
        raise CourseError(f"no notebooks under {course}/source/: run `make exercises` first")
    stage_helpers(course)
    if validate:  # the reference must pass every test cell, hidden ones included
        notebooks = sorted(pathlib.Path(course).glob("source/*/*.ipynb"))
        output = nbgrader(course, "validate", *(str(p) for p in notebooks))
        if output.count("Success! Your notebook passes all the tests.") != len(notebooks):
            raise CourseError("a source notebook fails its own tests; see the log above")
    nbgrader(course, "generate_assignment", EVERY, "--force")
    for assignment in ids:
        audit_release(course, assignment)
    for assignment in ids:
        nbgrader(course, "release_assignment", assignment, "--force")
    print(f"released {', '.join(ids)} to {pathlib.Path(course) / 'exchange'}")


def collect(course=COURSE):
    for assignment in assignments(course):
        nbgrader(course, "collect", assignment, "--update")


def autograde(course=COURSE, force=False):
    stage_helpers(course)
    nbgrader(course, "autograde", EVERY, *(["--force"] if force else []))


def feedback(course=COURSE):
    nbgrader(course, "generate_feedback", EVERY, "--force")
    for assignment in assignments(course):
        nbgrader(course, "release_feedback", assignment)


def export(course=COURSE, to="grades.csv"):
    nbgrader(course, "export", "--to", to)
    print(f"gradebook: {pathlib.Path(course) / to}")
