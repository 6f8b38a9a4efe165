"""The nbgrader workflow end to end, with the real nbgrader, a Jupyter kernel and TensorFlow.

One course (a copy of course/ in a temporary folder, its notebooks as generated) is released
once, through the make targets. Three learners fetch every part through nbgrader's exchange and
submit: ada the reference answers (and, in part 1, an edited test cell, a deleted test cell and
a cell that never ends), bob the release untouched, cy one wrong answer per part from
tests/wrong_answers/. Then `make collect autograde feedback export`; every test below reads
that one graded course.
"""

import ast
import csv
import shutil
import subprocess
import time

import nbformat
import pytest

from autograder import registry
from conftest import ROOT, WRONG_ANSWERS, declared_losses
from handout.helpers import hidden_check_names

pytestmark = pytest.mark.slow

CELL_TIMEOUT = 40  # seconds per cell in this test's course (the course's own is 120): the
# endless loop costs this much; the slowest real cell (the setup's TensorFlow import on a busy
# machine) took 18 s.
ENDLESS_LOOP = "# ada's experiment\nwhile True:\n    pass"
LEARNERS = ("ada", "bob", "cy")


def make(target, course, **variables):
    """Run `make <target> COURSE=<course>`; return its wall-clock seconds."""
    begin = time.monotonic()
    result = subprocess.run(["make", "-s", target, f"COURSE={course}",
                             *(f"{k}={v}" for k, v in variables.items())],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"make {target}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return time.monotonic() - begin


def part_number(assignment):
    return int(assignment.removeprefix("part"))


def nbgrader_cells(notebook):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in notebook.cells if "nbgrader" in c.metadata}


def is_test(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


# ---------------------------------------------------------------- the learners' side
def learner_config(course, home):
    """The course's own nbgrader config, plus this learner's folder and exchange cache."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.Exchange.cache = str(home / ".cache")
    config.Exchange.assignment_dir = str(home)
    return config


def exchange(action, config, assignment, student=None):
    """fetch_assignment or submit, as `nbgrader <action>` does it, in this process."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    if student:
        coursedir.student_id = student
    kind = {"fetch": ExchangeFetchAssignment, "submit": ExchangeSubmit}[action]
    kind(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def answer_with_reference(notebook, source):
    """Fill every solution cell with the reference from the source notebook."""
    reference = nbgrader_cells(source)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = reference[cell.metadata["nbgrader"]["grade_id"]].source


def paste_mistake(notebook, mistake):
    """Paste each definition of a wrong answer (tests/wrong_answers/) at the end of the cell that
    defines that name, as conftest.with_mistake pastes it over the reference file."""
    text = mistake.read_text()
    for node in ast.parse(text).body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            continue  # the docstring; the notebook already imports what mistakes use
        cell = next(c for c in notebook.cells if c.cell_type == "code" and not is_test(c)
                    and any(getattr(n, "name", None) == node.name for n in ast.parse(c.source).body))
        cell.source += "\n\n\n" + ast.get_source_segment(text, node, padded=True)


def tamper(notebook):
    """Edit the first test cell, delete the last one, add an endless loop after the setup cell."""
    tests = [c for c in notebook.cells if is_test(c) and "grade_cell" in c.source]
    edited, deleted = tests[0], tests[-1]
    edited.source = "print('all tests pass, trust me')"
    notebook.cells.remove(deleted)
    setup = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(ENDLESS_LOOP))
    return edited.metadata["nbgrader"]["grade_id"], deleted.metadata["nbgrader"]["grade_id"]


def first_mistake(part):
    mistakes = sorted((WRONG_ANSWERS / f"part{part}").glob("*.py"))
    return mistakes[0] if mistakes else None


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded course: (folder, {what: seconds}, {(learner, assignment): expected score}, tampered ids)."""
    base = tmp_path_factory.mktemp("nbgrader")
    folder = base / "course"
    for notebook in sorted((ROOT / "course" / "source").glob("*/*.ipynb")):
        (folder / "source" / notebook.parent.name).mkdir(parents=True)
        shutil.copy(notebook, folder / "source" / notebook.parent.name)
    config = (ROOT / "course" / "nbgrader_config.py").read_text()
    (folder / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {CELL_TIMEOUT}  # the test's\n")
    assignments = sorted(p.name for p in (folder / "source").iterdir())
    seconds = {"release": make("release", folder, VALIDATE=0)}

    expected, tampered = {}, {}
    for learner in LEARNERS:
        home = base / learner
        home.mkdir()
        config = learner_config(folder, home)
        for assignment in assignments:
            part = part_number(assignment)
            exchange("fetch", config, assignment)
            path = next((home / assignment).glob("*.ipynb"))
            notebook = nbformat.read(path, as_version=4)
            source = nbformat.read(folder / "source" / assignment / path.name, as_version=4)
            checks = registry.checks_for(part)
            total = sum(c.points for c in checks)
            if learner == "ada":
                answer_with_reference(notebook, source)
                if part == 1:
                    tampered[assignment] = tamper(notebook)
                expected[learner, assignment] = total
            elif learner == "bob":
                expected[learner, assignment] = 0
            else:
                answer_with_reference(notebook, source)
                mistake = first_mistake(part)
                lost = declared_losses(mistake) if mistake else set()
                if mistake:
                    paste_mistake(notebook, mistake)
                expected[learner, assignment] = total - sum(c.points for c in checks if c.name in lost)
            nbformat.write(notebook, path)
            exchange("submit", config, assignment, student=learner)

    seconds["collect"] = make("collect", folder)
    seconds["autograde"] = make("autograde", folder)
    seconds["feedback"] = make("feedback", folder)
    seconds["export"] = make("export", folder)
    notebooks = len(LEARNERS) * len(assignments)
    print(f"\nnbgrader end to end: {seconds}; autograde {seconds['autograde'] / notebooks:.1f} s "
          f"per notebook, {seconds['autograde'] / len(LEARNERS):.1f} s per learner "
          f"({len(assignments)} part(s), one {CELL_TIMEOUT} s cell timeout included)")
    return folder, seconds, expected, tampered


def autograded(folder, learner, assignment):
    path = next((folder / "autograded" / learner / assignment).glob("*.ipynb"))
    return nbformat.read(path, as_version=4)


def hidden_names():
    names = [n for found in hidden_check_names(ROOT).values() for n in found]
    return names + [n.removeprefix("check_") for n in names]


# ---------------------------------------------------------------- the tests
def test_release_holds_no_solutions_and_no_hidden_tests(course):
    """Does `make release` hand out one assignment per part, with stubs, helpers and no hidden tests?"""
    folder, _, _, _ = course
    released = sorted((folder / "release").iterdir())
    assert [p.name for p in released] == sorted(p.name for p in (folder / "source").iterdir())
    for assignment in released:
        assert (assignment / "autograder" / "notebook.py").is_file()
        assert (assignment / "coursekit" / "__init__.py").is_file()
        assert not list(assignment.rglob("with_hidden")), "the full checks must stay at home"
        for path in assignment.rglob("*"):
            if path.suffix in (".py", ".ipynb"):
                text = path.read_text()
                assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path
                assert not [n for n in hidden_names() if n in text], path
        notebook = nbformat.read(next(assignment.glob("*.ipynb")), as_version=4)
        solutions = [c for c in notebook.cells if c.metadata["nbgrader"].get("solution")]
        assert solutions and all("raise NotImplementedError()" in c.source for c in solutions)
        assert (folder / "exchange" / "tf2-course" / "outbound" / assignment.name).is_dir()


def test_each_learner_scores_as_expected_per_part(course):
    """Does the exported gradebook give each learner, on each part, exactly the expected score?"""
    folder, _, expected, _ = course
    with open(folder / "grades.csv") as stream:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(stream)}
    scores = {key: float(rows[key]["score"]) for key in expected}
    assert scores == {key: float(value) for key, value in expected.items()}
    for (learner, assignment), row in rows.items():
        total = sum(c.points for c in registry.checks_for(part_number(assignment)))
        assert float(row["max_score"]) == total, "nbgrader's points are the registry's points"


def test_edited_and_deleted_test_cells_are_restored(course):
    """Does autograde put back a test cell the learner edited or deleted, and grade it?"""
    folder, _, _, tampered = course
    for assignment, (edited, deleted) in tampered.items():
        cells = nbgrader_cells(autograded(folder, "ada", assignment))
        assert "grade_cell(" in cells[edited].source and "trust me" not in cells[edited].source
        assert "was missing from the submission" in cells[deleted].source
        for grade_id in (edited, deleted):
            assert [o for o in cells[grade_id].outputs if "PASS" in o.get("text", "")], grade_id


def test_endless_loop_times_out_and_the_rest_is_graded(course):
    """Is a learner's endless cell interrupted after the cell timeout, with every later cell graded?"""
    folder, _, _, tampered = course
    for assignment in tampered:
        notebook = autograded(folder, "ada", assignment)
        index = next(i for i, c in enumerate(notebook.cells) if c.source == ENDLESS_LOOP)
        assert [o for o in notebook.cells[index].outputs if o.output_type == "error"]
        later = [c for c in notebook.cells[index + 1:] if is_test(c) and "grade_cell" in c.source]
        assert later and all(c.outputs and not [o for o in c.outputs if o.output_type == "error"]
                             for c in later)


def test_test_cells_are_quiet_and_say_one_line(course):
    """Do graded cells never write to stderr, and does a failure show one line and no grader traceback?"""
    folder, _, _, _ = course
    failures = 0
    for notebook_path in sorted((folder / "autograded").glob("*/*/*.ipynb")):
        for cell in nbformat.read(notebook_path, as_version=4).cells:
            if not is_test(cell):
                continue
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], (notebook_path, cell.source)
            for error in [o for o in cell.outputs if o.output_type == "error"]:
                failures += 1
                assert error.ename == "AssertionError" and error.evalue.startswith("part ")
                assert "\n" not in error.evalue
                assert not [line for line in error.traceback if "autograder/" in line]
    assert failures > 0, "bob's and cy's notebooks must have failing cells to look at"


def test_untouched_notebook_says_not_attempted(course):
    """Does an untouched notebook's test cell say 'not attempted yet'?"""
    folder, _, _, _ = course
    notebook = autograded(folder, "bob", "part1")
    messages = [o.evalue for c in notebook.cells if is_test(c) for o in c.outputs if o.output_type == "error"]
    assert messages and all(m.endswith("not attempted yet") for m in messages), messages[:3]


def test_hidden_tests_run_at_autograde_and_hide_in_feedback(course):
    """Are hidden tests graded at autograde, and is their source left out of the feedback?"""
    folder, _, _, _ = course
    hidden_parts = [int(name[4]) for name in hidden_check_names(ROOT)]
    for part in hidden_parts:
        notebook = autograded(folder, "ada", f"part{part}")
        hidden = [c for c in notebook.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("hidden-test-")]
        assert hidden and all("BEGIN HIDDEN TESTS" in c.source for c in hidden)
        assert all(o.text.startswith("PASS") for c in hidden for o in c.outputs if o.get("name") == "stdout")
    feedback = sorted((folder / "feedback").glob("*/*/*.html"))
    assert len(feedback) == len(LEARNERS) * len(list((folder / "source").iterdir()))
    calls = [f"grade_cell({int(module[4])}, {name.removeprefix('check_')!r}"
             for module, names in hidden_check_names(ROOT).items() for name in names]
    for page in feedback:  # a hidden test's outcome and message show; its code does not
        text = page.read_text().replace("&#39;", "'")
        assert "HIDDEN TESTS" not in text and not [c for c in calls if c in text], page
    released = list((folder / "exchange" / "tf2-course" / "feedback").glob("*.html"))
    assert len(released) == len(feedback)
