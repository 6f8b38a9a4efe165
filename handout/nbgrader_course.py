"""The instructor's nbgrader commands, one assignment per part, with the real nbgrader.

    python -m handout release     [--course course] [--no-validate]
    python -m handout collect
    python -m handout autograde   [--force] [--jobs N]
    python -m handout feedback
    python -m handout export      (course/grades.csv)

Each runs `nbgrader ...` in the course folder (course/nbgrader_config.py configures it) for
every assignment under course/source/, so a new part comes along once `make exercises` has
written its notebook. No Jupyter server is involved.

release validates the reference with the course's engine (each source notebook, turned into a
module as autograde turns a submission into one, must score full marks, hidden checks included),
copies the helper modules the notebooks import beside each source notebook (hidden checks cut
out: handout/helpers.py), and after generate_assignment checks what it is about to hand out: no
solution region, no hidden test or hidden check's name, no statement of a reference solution
(handout/leaks.py), no pictures or reports, or it stops before anything reaches the exchange.

autograde grades with the engine, not a kernel (handout/pregrade.py, handout/preprocessors/): first every
learner's parts in one run of the engine each, several learners at once on warm graders
(`--jobs`), then one `nbgrader autograde`, which writes those results into the notebooks and the
gradebook (one writer to its database).

nbgrader runs without the repository's PYTHONPATH, KERAS_HOME and TF_CPP_MIN_LOG_LEVEL, and with
TF2_COURSE_GRADER naming the repository whose grader the course's config loads.
"""

import os
import pathlib
import subprocess
import sys
import tempfile

from autograder.intake import from_notebook
from autograder.supervise.cli import sandbox_policy
from classroom.local import default_workers
from handout import helpers, leaks, pregrade

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
    env["TF2_COURSE_GRADER"] = str(ROOT)
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
    """Copy autograder/ and coursekit/ beside every source notebook, hidden checks cut out: the
    released notebooks' test cells import them in the learner's kernel."""
    for assignment in assignments(course):
        helpers.copy_helpers(ROOT, pathlib.Path(course) / "source" / assignment, hidden="strip")


def audit_release(course, assignment):
    """Raise CourseError if release/<assignment>/ holds a solution, a hidden test or check,
    reference code, or a picture or report of a notebook run."""
    folder = pathlib.Path(course) / "release" / assignment
    hidden = [name for names in helpers.hidden_check_names(ROOT).values() for name in names]
    words = list(FORBIDDEN_MARKERS) + hidden + [n.removeprefix("check_") for n in hidden]
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt", ".json"):
            text = path.read_text(errors="replace")
            problems += [f"{path.relative_to(course)} contains {word!r}" for word in words if word in text]
        elif path.is_file() and (path.suffix in (".png", ".jpg", ".svg", ".pdf") or path.parent.name == "reports"):
            problems.append(f"{path.relative_to(course)} is an output, not course material")
    problems += [f"release/{assignment}/{leak}" for leak in leaks.find_leaks(folder, ROOT)]
    if problems:
        raise CourseError("the release would hand out what it must not:\n  " + "\n  ".join(problems))


def release(course=COURSE, validate=True):
    ids = assignments(course)
    if not ids:
        raise CourseError(f"no notebooks under {course}/source/: run `make exercises` first")
    if validate:
        validate_reference(course)
    stage_helpers(course)
    nbgrader(course, "generate_assignment", EVERY, "--force")
    for assignment in ids:
        audit_release(course, assignment)
    for assignment in ids:
        nbgrader(course, "release_assignment", assignment, "--force")
    print(f"released {', '.join(ids)} to {pathlib.Path(course) / 'exchange'}")


def validate_reference(course=COURSE):
    """The source notebooks, graded by the engine as submissions are, must score full marks."""
    modules = {}
    for path in sorted(pathlib.Path(course).glob("source/*/*.ipynb")):
        notebook = from_notebook.read(path)
        part = pregrade.part_of(path.stem)
        modules[part] = from_notebook.learner_module(notebook, notebook, path.name)
    print(f"validating the reference notebooks with the grader (parts {', '.join(map(str, sorted(modules)))})",
          flush=True)
    graded = pregrade.run_engine(modules, ROOT)
    misses = [f"part {part}, {r['exercise']}: {r['check']}: {r['message']}"
              for part, result in sorted(graded.items()) for r in result["results"]
              if r["status"] != "passed"]
    if misses:
        raise CourseError("the reference notebooks fail their own checks:\n  " + "\n  ".join(misses))
    total = sum(r["max_score"] for result in graded.values() for r in result["results"])
    print(f"reference: {total:g}/{total:g} points, hidden checks included")


def exchange_folder(course):
    """The course's folder in the exchange, as its nbgrader_config.py sets it."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return pathlib.Path(config.Exchange.root) / config.CourseDirectory.course_id


def collect(course=COURSE):
    exchange = exchange_folder(course)
    released = [a for a in assignments(course) if (exchange / "outbound" / a).is_dir()]
    if not released:
        raise CourseError(f"nothing has been released to {exchange} yet: run `make release` "
                          "first; learners then fetch, work and submit, and `make collect` "
                          "gathers what they submitted")
    inbound = sorted(p.name for p in (exchange / "inbound").glob("*+*")) if (exchange / "inbound").is_dir() else []
    if not inbound:
        print(f"no submission in {exchange / 'inbound'} yet (learners run `nbgrader submit "
              "partN --course tf2-course`): nothing to collect")
        return
    for assignment in released:
        if [name for name in inbound if name.split("+")[1:2] == [assignment]]:
            nbgrader(course, "collect", assignment, "--update")


def submissions_to_grade(course, force):
    """(student, assignment, notebook path) of every collected notebook autograde will grade."""
    course = pathlib.Path(course)
    found = []
    for path in sorted(course.glob("submitted/*/*/*.ipynb")):
        student, assignment = path.parent.parent.name, path.parent.name
        if force or not (course / "autograded" / student / assignment).exists():
            found.append((student, assignment, path))
    return found


def autograde(course=COURSE, force=False, jobs=None):
    """Grade every learner's collected notebooks with the engine, `jobs` learners at a time (by
    default as many as the CPUs and memory allow), then record them all with one `nbgrader
    autograde`: one writer to the gradebook."""
    course = pathlib.Path(course)
    if not list(course.glob("submitted/*/*/*.ipynb")):
        raise CourseError(f"nothing collected in {course / 'submitted'} yet: run `make collect` "
                          "first (after learners have submitted)")
    policy, warning = sandbox_policy("require")  # before anyone is graded
    if warning:
        print(warning.replace("grade: ", "autograde: ", 1), file=sys.stderr)
    if policy is None:
        raise CourseError("autograde stopped: no learner was graded")
    with tempfile.TemporaryDirectory(prefix="autograde-") as results:
        todo = submissions_to_grade(course, force)
        if todo:
            pregrade.pregrade(course, todo, results, ROOT, jobs=jobs or default_workers())
        nbgrader(course, "autograde", EVERY, f"--GradeWithEngine.results_dir={results}",
                 *(["--force"] if force else []))


def feedback(course=COURSE):
    course = pathlib.Path(course)
    if not list(course.glob("autograded/*/*/*.ipynb")):
        raise CourseError(f"nothing autograded in {course / 'autograded'} yet: run `make autograde` "
                          "first (after `make collect`)")
    nbgrader(course, "generate_feedback", EVERY, "--force")
    for assignment in assignments(course):
        if list(course.glob(f"feedback/*/{assignment}/*.html")):
            nbgrader(course, "release_feedback", assignment)


def export(course=COURSE, to="grades.csv"):
    if not (pathlib.Path(course) / "gradebook.db").is_file():
        raise CourseError(f"no gradebook in {course} yet: run `make release`, then `make collect` "
                          "and `make autograde`, before exporting grades")
    nbgrader(course, "export", "--to", to)
    print(f"gradebook: {pathlib.Path(course) / to}")
