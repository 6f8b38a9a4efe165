"""The nbgrader workflow end to end, with the real nbgrader, formgrader's server and TensorFlow.

One course (a copy of course/ in a temporary folder, its notebooks as generated) is released
once, through the make targets, with the reference validated by the grader. Learners fetch
through nbgrader's exchange and submit:

    ada     the reference in every part
    bob     the release untouched: 0 and "not attempted", and not one note
    cy      one wrong answer per part (tests/wrong_answers/): loses exactly its checks
    and, in part 1 only, the notebook tamper battery (TAMPERING below): each learner's notebook
    tries one thing on the grader and must get the score its honest code deserves, with a note

Then `make collect`, `make autograde JOBS=2` (two learners at a time), `make feedback` and
`make export`; every test reads that one graded course. Last,
formgrader's Autograde button (a real Jupyter server with nbgrader's extension, over HTTP)
regrades part 1 of every learner and must give the same scores.
"""

import ast
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from conftest import ROOT, WRONG_ANSWERS, declared_losses
from handout.helpers import hidden_check_names
from handout.leaks import find_leaks
from hostile import MARK, WRITTEN, Target, attack_code, tcp_listener

pytestmark = pytest.mark.slow

GRADER_PATCH = ("import autograder.execute.notebook as _nb\n"
                "_nb.grade_cell = lambda *a, **k: _nb.CellResult(True, '')\n\n")
NO_MANAGER = ("\n\ndef make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):\n"
              "    return None\n")
WILD_CELLS = [
    "# an experiment that never ends\nwhile True:\n    pass",
    "import sys\nsys.exit('done for today')",
    "import sys\nprint('a note to myself', file=sys.stderr)",
    "import time\nimport tensorflow as tf\n"
    "model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])\n"
    "model.compile(loss='mse')\nmodel.fit(tf.zeros((64, 2)), tf.zeros((64, 1)), epochs=10**6, verbose=0)",
    "%timeit standardize(tf.ones((3, 3)))",
    "def helper_i_wrote(x):\n    return x\n\nTOLERANCE = 1e-3",
]


def make(target, course, **variables):
    """Run `make <target> COURSE=<course>`; return (seconds, its output)."""
    begin = time.monotonic()
    result = subprocess.run(["make", "-s", target, f"COURSE={course}",
                             *(f"{k}={v}" for k, v in variables.items())],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    output = result.stdout + result.stderr
    if result.returncode != 0:  # nbgrader lists every file it copies: keep the lines that matter
        lines = [line for line in output.splitlines() if "| INFO] Copying" not in line]
        pytest.fail(f"make {target} exited {result.returncode}:\n" + "\n".join(lines)[-8000:])
    return time.monotonic() - begin, output


def part_number(assignment):
    return int(assignment.removeprefix("part"))


def nbgrader_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def nbgrader_cells(notebook):
    return {nbgrader_id(c): c for c in notebook.cells if nbgrader_id(c)}


def is_test(cell):
    return cell.metadata.get("nbgrader", {}).get("grade", False)


def points(part, lost=()):
    return sum(c.points for c in checks_for(part) if c.name not in lost)


def exercise_checks(part, exercise):
    return {c.name for c in checks_for(part) if c.exercise == exercise}


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
            cell.source = reference[nbgrader_id(cell)].source


def solution_cell(notebook, grade_id):
    return next(c for c in notebook.cells if nbgrader_id(c) == grade_id)


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


def first_mistake(part):
    mistakes = sorted((WRONG_ANSWERS / f"part{part}").glob("*.py"))
    return mistakes[0] if mistakes else None


def insert_after(notebook, grade_id, *sources):
    index = next(i for i, c in enumerate(notebook.cells) if nbgrader_id(c) == grade_id)
    for offset, source in enumerate(sources, 1):
        notebook.cells.insert(index + offset, nbformat.v4.new_code_cell(source))


def graded_cells(notebook):
    return [c for c in notebook.cells if is_test(c) and "grade_cell" in c.source]


# Each function answers part 1 (already filled with the reference) in one dishonest or unusual
# way and returns (the checks it must lose, the notes its feedback must hold).
def grader_patch(notebook):
    """One line replaces grade_cell in a solution cell; make_checkpoint_manager returns None."""
    first = next(c for c in notebook.cells if c.metadata["nbgrader"].get("solution"))
    first.source = GRADER_PATCH + first.source
    solution_cell(notebook, "make_checkpoint_manager").source += NO_MANAGER
    return (exercise_checks(1, "make_checkpoint_manager") | {"checkpoint_restores_latest"},
            ["imports the course's grader"])


def grader_internals_patch(notebook):
    """A solution cell replaces the grader's own `fail` when the code is imported."""
    first = next(c for c in notebook.cells if c.metadata["nbgrader"].get("solution"))
    first.source = ("import autograder.checkkit.verdict\nautograder.checkkit.verdict.fail = lambda *a, **k: None\n\n"
                    + first.source)
    return {c.name for c in checks_for(1)}, ["imports the course's grader"]


def cell_editor(notebook):
    """Edit a test cell, delete one, turn one into markdown, raise one's points, edit a locked cell."""
    tests = graded_cells(notebook)
    tests[0].source = "print('all tests pass, trust me')"
    notebook.cells.remove(tests[-1])
    tests[1].cell_type = "markdown"
    tests[1].pop("outputs", None)
    tests[1].pop("execution_count", None)
    tests[2].metadata["nbgrader"]["points"] = 100
    locked = next(c for c in notebook.cells if c.cell_type == "code" and c.metadata["nbgrader"].get("locked")
                  and not is_test(c) and nbgrader_id(c) != "setup")
    locked.source = "import numpy as np\nimport tensorflow as tf\nprint('my own imports')"
    return set(), [f"`{nbgrader_id(tests[0])}` was edited", f"`{nbgrader_id(tests[-1])}` was missing",
                   f"`{nbgrader_id(tests[1])}` was turned into a markdown cell",
                   f"points of `{nbgrader_id(tests[2])}` were changed", f"`{nbgrader_id(locked)}` was edited"]


def duplicated_ids(notebook):
    """A wrong copy of a solution cell before the right one, and a copy of a test cell."""
    right = solution_cell(notebook, "standardize")
    wrong = nbformat.v4.new_code_cell("def standardize(x, axis=0):\n    return x\n")
    wrong.metadata = json.loads(json.dumps(right.metadata))
    notebook.cells.insert(notebook.cells.index(right), wrong)
    test = graded_cells(notebook)[3]
    copy = nbformat.v4.new_code_cell(test.source)
    copy.metadata = json.loads(json.dumps(test.metadata))
    notebook.cells.insert(notebook.cells.index(test) + 1, copy)
    return set(), ["`standardize`", "the last one counts"]


def wild_cells(notebook):
    """Cells of the learner's own: an endless loop, sys.exit, stderr, minutes of training, a
    magic, and a helper function (kept) used by nothing."""
    insert_after(notebook, "standardize", *WILD_CELLS)
    return set(), ["did not run when grading", "IPython line"]


def fake_outputs(notebook):
    """A wrong standardize, with every test cell showing a fake PASS from an earlier run."""
    solution_cell(notebook, "standardize").source += "\n\ndef standardize(x, axis=0):\n    return x\n"
    for cell in graded_cells(notebook):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="PASS\n")]
    return exercise_checks(1, "standardize"), []


def syntax_error(notebook):
    """One solution cell does not compile: its exercise scores zero, the others are graded."""
    solution_cell(notebook, "cubic_gradients").source += "\n\nthis is not python(\n"
    return exercise_checks(1, "cubic_gradients"), ["`cubic_gradients` has a syntax error"]


def stray_exit(notebook):
    """A cell left after the first exercise stops the kernel: `import sys; sys.exit(3)`."""
    insert_after(notebook, "standardize", "import sys\nsys.exit(3)")
    return set(), ["called sys.exit at line 2"]


def helpers_of_its_own(notebook):
    """Helpers bound in a cell of the learner's own, before the first exercise, which uses them."""
    first = next(i for i, c in enumerate(notebook.cells) if nbgrader_id(c) == "standardize")
    notebook.cells.insert(first, nbformat.v4.new_code_cell(
        "mean_of = tf.reduce_mean\nstd_of = tf.math.reduce_std\nKEEP = True"))
    solution_cell(notebook, "standardize").source = (
        "def standardize(x, axis=0):\n"
        "    return (x - mean_of(x, axis=axis, keepdims=KEEP)) / std_of(x, axis=axis, keepdims=KEEP)\n")
    return set(), []


TAMPERING = {"pat": grader_patch, "ivan": grader_internals_patch, "eve": cell_editor,
             "dup": duplicated_ids, "wil": wild_cells, "fay": fake_outputs, "syd": syntax_error,
             "sam": stray_exit, "hal": helpers_of_its_own}

# Part 2: a quick training run left at the top level of the compile_and_train solution cell
# (it runs past the cell's budget, and the definitions above it still count).
TRAINING_RUN = ("\n\n_model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(10)])\n"
                "_model.compile(loss='mse')\n"
                "_model.fit(tf.zeros((4096, 64)), tf.zeros((4096, 10)), epochs=10**5, verbose=0)\n")

# The hostile battery through `make autograde` (tests/hostile.py): each learner's first solution
# cell (of part 1) opens with attacks; "mal" left the stubs (the attacks would earn points),
# "hex" answered with the reference (the attacks would do harm).
HOSTILE = {"mal": ["reads_the_reference", "reads_the_course_source", "reads_another_learner"],
           "hex": ["writes_records_and_outside", "connects_to_a_local_port", "signals_the_graders"]}


def with_attacks(notebook, attacks, target):
    first = next(c for c in notebook.cells if c.metadata["nbgrader"].get("solution"))
    first.source = "\n".join(attack_code(name, target) for name in attacks) + "\n" + first.source


@pytest.fixture(scope="module")
def listener():
    """A TCP server on 127.0.0.1 that records who connects: (port, what they sent)."""
    with tcp_listener() as listening:
        yield listening


@pytest.fixture(scope="module")
def course(tmp_path_factory, listener):
    """The graded course: (folder, {step: seconds}, {(learner, assignment): expected score},
    {learner: notes expected}, {step: output})."""
    base = tmp_path_factory.mktemp("nbgrader")
    folder = base / "course"
    for notebook in sorted((ROOT / "course" / "source").glob("*/*.ipynb")):
        (folder / "source" / notebook.parent.name).mkdir(parents=True)
        shutil.copy(notebook, folder / "source" / notebook.parent.name)
    shutil.copy(ROOT / "course" / "nbgrader_config.py", folder / "nbgrader_config.py")
    assignments = sorted(p.name for p in (folder / "source").iterdir())
    seconds, outputs = {}, {}
    seconds["release"], outputs["release"] = make("release", folder)

    expected, notes = {}, {}
    target = Target([str(ROOT), str(base)], str(folder / "submitted" / "ada" / "part1" / "part1_tf2_basics.ipynb"),
                    [str(folder / "gradebook.db"), str(folder / "source"), str(folder / "submitted")], listener[0])
    for learner in ["ada", "bob", "cy", *TAMPERING, *HOSTILE, "tom"]:
        home = base / learner
        home.mkdir()
        config = learner_config(folder, home)
        for assignment in assignments:
            part = part_number(assignment)
            if learner in {**TAMPERING, **HOSTILE} and part != 1 or learner == "tom" and part != 2:
                continue
            exchange("fetch", config, assignment)
            path = next((home / assignment).glob("*.ipynb"))
            notebook = nbformat.read(path, as_version=4)
            source = nbformat.read(folder / "source" / assignment / path.name, as_version=4)
            lost = set()
            if learner not in ("bob", "mal"):
                answer_with_reference(notebook, source)
            if learner in ("bob", "mal"):
                lost = {c.name for c in checks_for(part)}
            if learner in HOSTILE:
                with_attacks(notebook, HOSTILE[learner], target)
            if learner == "tom":
                solution_cell(notebook, "compile_and_train").source += TRAINING_RUN
                notes[learner] = ["`compile_and_train` ran past its"]
            elif learner == "cy" and first_mistake(part):
                paste_mistake(notebook, first_mistake(part))
                lost = declared_losses(first_mistake(part))
            elif learner in TAMPERING:
                lost, notes[learner] = TAMPERING[learner](notebook)
            expected[learner, assignment] = points(part, lost)
            nbformat.write(notebook, path)
            exchange("submit", config, assignment, student=learner)

    seconds["collect"], outputs["collect"] = make("collect", folder)
    seconds["autograde"], outputs["autograde"] = make("autograde", folder, JOBS=2)
    seconds["feedback"], outputs["feedback"] = make("feedback", folder)
    seconds["export"], outputs["export"] = make("export", folder)
    print(f"\nnbgrader end to end: { {k: round(v, 1) for k, v in seconds.items()} }; "
          f"{len(expected)} notebooks autograded")
    return folder, seconds, expected, notes, outputs


def autograded(folder, learner, assignment):
    path = next((folder / "autograded" / learner / assignment).glob("*.ipynb"))
    return nbformat.read(path, as_version=4)


def read_grades(path):
    with open(path) as stream:
        return {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(stream)
                if r["student_id"] and r["assignment"]}


def hidden_names():
    names = [n for found in hidden_check_names(ROOT).values() for n in found]
    return names + [n.removeprefix("check_") for n in names]


def notes_of(notebook):
    return "\n".join(c.source for c in notebook.cells
                     if c.cell_type == "markdown" and c.metadata.get("tf2_course", {}).get("notes"))


# ---------------------------------------------------------------- the tests
def test_release_holds_no_solutions_hidden_tests_reference_code_or_outputs(course):
    """Does `make release` hand out one assignment per part with stubs and helpers, and nothing
    that gives an answer away: no solution, hidden test, reference statement or picture?"""
    folder, _, _, _, outputs = course
    total = sum(c.points for part in registry.PARTS for c in checks_for(part))
    assert f"reference: {total}/{total} points, hidden checks included" in outputs["release"]
    released = sorted((folder / "release").iterdir())
    assert [p.name for p in released] == sorted(p.name for p in (folder / "source").iterdir())
    for assignment in released:
        assert (assignment / "autograder" / "execute" / "notebook.py").is_file()
        assert (assignment / "coursekit" / "__init__.py").is_file()
        assert not [p for p in assignment.rglob("*") if p.suffix in (".png", ".pdf")]
        for path in assignment.rglob("*"):
            if path.suffix in (".py", ".ipynb"):
                text = path.read_text()
                assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, path
                assert not [n for n in hidden_names() if n in text], path
        notebook = nbformat.read(next(assignment.glob("*.ipynb")), as_version=4)
        solutions = [c for c in notebook.cells if c.metadata["nbgrader"].get("solution")]
        assert solutions and all("raise NotImplementedError()" in c.source for c in solutions)
        outbound = folder / "exchange" / "tf2-course" / "outbound" / assignment.name
        assert outbound.is_dir()
        assert find_leaks(assignment) == [] and find_leaks(outbound) == []


def test_each_learner_scores_as_expected_per_part(course):
    """Does the exported gradebook give each learner, on each part, exactly the expected score
    (the honest code's score for every notebook of the tamper battery)?"""
    folder, _, expected, _, _ = course
    scores = read_grades(folder / "grades.csv")
    assert {key: scores[key] for key in expected} == {k: float(v) for k, v in expected.items()}
    with open(folder / "grades.csv") as stream:
        for row in csv.DictReader(stream):
            if row["assignment"]:
                assert float(row["max_score"]) == points(part_number(row["assignment"]))


def test_each_tampered_notebook_gets_a_clear_note(course):
    """Does every notebook of the battery say, in a note at its top, what was done about it?"""
    folder, _, _, notes, _ = course
    for learner, expected in notes.items():
        text = notes_of(autograded(folder, learner, "part2" if learner == "tom" else "part1"))
        for phrase in expected:
            assert phrase in text, (learner, phrase, text)


def test_a_notebook_is_graded_as_it_runs(course):
    """Does a notebook with a stray `sys.exit` cell, with helpers bound in a cell of its own, or
    with a long training run at the top level of a solution cell, score what the same answers
    score without it (full marks: the export checks each score), the cell that lost something
    named in its feedback's notes?"""
    folder, _, expected, notes, _ = course
    assert expected["sam", "part1"] == expected["hal", "part1"] == points(1)
    assert expected["tom", "part2"] == points(2)
    assert notes_of(autograded(folder, "hal", "part1")) == ""  # nothing lost, nothing to say


def test_hostile_notebooks_get_their_honest_score_and_change_nothing(course, listener):
    """Through `make autograde` (warm graders from the grader-only tree, each notebook's code in
    the sandbox), do notebooks that try to read the reference, the course's source notebooks and
    another learner's notebook, to write the gradebook and the submissions, to connect to a
    local port and to kill the graders, get what their honest code earns (the export checks the
    scores), and leave every file unmarked and no connection made?"""
    folder, _, expected, _, _ = course
    assert expected["mal", "part1"] == 0 and expected["hex", "part1"] == points(1)
    marked = [path for path in folder.rglob("*") if path.name.startswith(MARK)
              or path.is_file() and WRITTEN.encode() in path.read_bytes()]
    assert marked == [] and listener[1] == []
    assert (ROOT / "solutions" / "part1_tf2_basics.py").exists()


def test_untouched_and_honest_notebooks_get_no_note_and_no_warning(course):
    """Do the untouched and the reference notebooks get no note and no warning in autograde's log
    (nbgrader used to warn "checksum changed" for every learner's hidden test cell)?"""
    folder, _, _, _, outputs = course
    for learner in ("ada", "bob"):
        for path in sorted((folder / "autograded" / learner).glob("*/*.ipynb")):
            assert notes_of(nbformat.read(path, as_version=4)) == "", path
    for learner, section in autograde_log_by_learner(outputs["autograde"]).items():
        warnings = [line for line in section if "WARNING" in line]
        if learner in ("ada", "bob", "cy"):
            assert warnings == [], (learner, warnings)
        elif learner == "eve":
            assert warnings, "real tampering still reaches nbgrader's log"


def autograde_log_by_learner(log):
    """{learner: [lines]} of nbgrader autograde's log, cut at each "Sanitizing .../submitted/<id>/"."""
    sections, learner = {}, None
    for line in log.splitlines():
        if "Sanitizing " in line and "/submitted/" in line:
            learner = line.split("/submitted/")[1].split("/")[0]
        if learner:
            sections.setdefault(learner, []).append(line)
    return sections


def test_autograde_grades_two_at_a_time_with_progress_then_records_once(course):
    """Does `make autograde JOBS=2` grade the learners two at a time with a progress line for each
    (done/total, rate, time left, failures so far) and a summary, then record every notebook with
    one `nbgrader autograde` (one writer to the gradebook)?"""
    folder, _, expected, _, outputs = course
    learners = sorted({learner for learner, _ in expected})
    lines = pytest.LineMatcher(outputs["autograde"].splitlines())
    lines.fnmatch_lines([f"grading {len(learners)} learners with the course's engine, 2 at a time"])
    for learner in learners:
        lines.re_match_lines([rf"\[\d+/{len(learners)}\] {learner}: parts? [\d, ]+ graded \([\d.]+ s\)  "
                              r"\| [\d.]+ learners/min, (about .* left|done), 0 not graded so far"])
    lines.fnmatch_lines([f"graded {len(learners)} learners in * s (* per minute); 0 not graded"])
    assert outputs["autograde"].count("$ nbgrader autograde") == 1


def test_edited_and_deleted_test_cells_are_restored_and_graded(course):
    """Does autograde put back a test cell the learner edited, deleted or retyped, and grade it?"""
    folder, _, _, _, _ = course
    source = nbformat.read(next((folder / "source" / "part1").glob("*.ipynb")), as_version=4)
    original = nbgrader_cells(source)
    cells = nbgrader_cells(autograded(folder, "eve", "part1"))
    for grade_id, cell in cells.items():
        if is_test(cell) and grade_id.startswith("check_"):
            assert cell.cell_type == "code" and grade_id in original
            assert cell.source.endswith(original[grade_id].source), grade_id
            assert [o for o in cell.outputs if "PASS" in o.get("text", "")], grade_id


def test_test_cells_are_quiet_and_say_one_line(course):
    """Do graded cells never write to stderr, and does a failure show one line and no grader
    traceback?"""
    folder, _, _, _, _ = course
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
    folder, _, _, _, _ = course
    notebook = autograded(folder, "bob", "part1")
    messages = [o.evalue for c in notebook.cells if is_test(c) for o in c.outputs if o.output_type == "error"]
    assert messages and all(m.endswith("not attempted yet") for m in messages), messages[:3]


def test_syntax_error_names_the_cell_and_spares_the_rest(course):
    """Does a syntax error in one solution cell cost that exercise only, naming the cell?"""
    folder, _, _, _, _ = course
    cells = nbgrader_cells(autograded(folder, "syd", "part1"))
    message = next(o.evalue for o in cells["check_cubic_gradients_known_values"].outputs
                   if o.output_type == "error")
    assert "`cubic_gradients` has a syntax error at line" in message


def test_hidden_tests_run_at_autograde_and_hide_in_feedback(course):
    """Are hidden tests graded at autograde, without naming their check, and is their source left
    out of the feedback?"""
    folder, _, _, _, _ = course
    for part in [int(name[4]) for name in hidden_check_names(ROOT)]:
        notebook = autograded(folder, "ada", f"part{part}")
        hidden = [c for c in notebook.cells if (nbgrader_id(c) or "").startswith("hidden-test-")]
        assert hidden and all("BEGIN HIDDEN TESTS" in c.source for c in hidden)
        for cell in hidden:
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert text.startswith("PASS") and "hidden test" in text
            assert not [n for n in hidden_names() if n in text]
    feedback = sorted((folder / "feedback").glob("*/*/*.html"))
    calls = [f"grade_cell({int(module[4])}, {name.removeprefix('check_')!r}"
             for module, names in hidden_check_names(ROOT).items() for name in names]
    for page in feedback:  # a hidden test's outcome and message show; its code does not
        text = page.read_text().replace("&#39;", "'")
        assert "HIDDEN TESTS" not in text and not [c for c in calls if c in text], page
    released = list((folder / "exchange" / "tf2-course" / "feedback").glob("*.html"))
    assert len(released) == len(feedback)


def test_feedback_names_every_check_wraps_messages_and_has_no_noise(course):
    """Does each feedback page list every test cell by its check, wrap long messages, and hold
    nothing from TensorFlow's logs?"""
    folder, _, _, _, _ = course
    for learner in ("ada", "cy"):
        for page in sorted((folder / "feedback" / learner).glob("*/*.html")):
            text = page.read_text()
            part = part_number(page.parent.name)
            assert "Your checks" in text and "white-space: pre-wrap" in text
            for check in checks_for(part):
                if not check.hidden:
                    assert f"{check.exercise}: {check.name}" in text, (page, check.name)
            for noise in ("oneDNN custom operations are on", "absl::InitializeLog", "port.cc:",
                          "Unable to register cu", "WARNING: All log messages"):
                assert noise not in text, (page, noise)


# ---------------------------------------------------------------- formgrader's button
def test_class_report_and_lms_export_read_the_gradebook(course, tmp_path):
    """From nbgrader's gradebook and autograded notebooks, does the class report give each learner
    the expected score of each part they submitted (none for a part they did not), each check the
    passes nbgrader recorded, each learner's notes as problems, and say what nbgrader does not
    record; is no pair of notebooks flagged similar (everyone answered with the reference, or
    left the stub); and does the Canvas file hold the same scores, empty where nothing was
    submitted?"""
    from nbgrader.api import Gradebook

    folder, _, expected, notes, _ = course
    result = subprocess.run([sys.executable, "-m", "classroom.review.class_report", "--from", "nbgrader", "--course",
                             str(folder), "--out", str(tmp_path / "report")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    assert result.stdout.startswith(f"Class of {len({k[0] for k in expected})} learners (nbgrader gradebook ")
    numbers = json.loads((tmp_path / "report" / "class.json").read_text())
    rows = {row["name"]: row for row in numbers["learners"]}
    for learner, row in rows.items():
        for part, score in row["by_part"].items():
            assert score == expected.get((learner, f"part{part}")), (learner, part, score)
    assert rows["ada"]["problems"] == [] and all(rows[learner]["problems"] for learner, said in notes.items() if said)
    assert any("syntax error" in problem for problem in rows["syd"]["problems"])
    assert any("no grading time" in note for note in numbers["notes"])

    passes, hidden = {}, {}
    with Gradebook(f"sqlite:///{(folder / 'gradebook.db').resolve()}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.max_score and grade.name.startswith("check_"):
                            key = (part_number(assignment.name), grade.name.removeprefix("check_"))
                            passes[key] = passes.get(key, 0) + (grade.score == grade.max_score)
                        elif grade.max_score:
                            part = part_number(assignment.name)
                            hidden[part] = hidden.get(part, 0) + (grade.score == grade.max_score)
    checks = {(row["part"], row["check"]): row["passed"] for row in numbers["checks"]}
    hidden_names = {(c.part, c.name) for p in registry.PARTS for c in checks_for(p) if c.hidden}
    assert {key: count for key, count in checks.items() if key not in hidden_names} == passes
    assert {p: sum(checks[key] for key in hidden_names if key[0] == p) for p in hidden} == hidden
    assert numbers["similar_pairs"] == [], numbers["similar_pairs"]

    exported = subprocess.run([sys.executable, "-m", "classroom.review.lms_export", "--lms", "canvas", "--from", "nbgrader",
                               "--course", str(folder), "--out", str(tmp_path / "canvas.csv")], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    with open(tmp_path / "canvas.csv", newline="") as stream:
        canvas = list(csv.reader(stream))
    parts = [part_number(a) for a in sorted({a for _, a in expected})]
    assert canvas[0][5:] == [f"Part {p}: " + registry.PARTS[p].split("_", 1)[1].replace("_", " ") for p in parts]
    for row in canvas[2:]:
        assert row[5:] == [f"{expected[row[3], f'part{p}']:g}" if (row[3], f"part{p}") in expected else ""
                           for p in parts], row


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def formgrader(course):
    """A Jupyter server with nbgrader's formgrader on the graded course, as `make formgrader`
    starts one; yields (base URL, token)."""
    folder = course[0]
    port, token = free_port(), "course-test-token"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL")}
    env["TF2_COURSE_GRADER"] = str(ROOT)
    env["PATH"] = os.pathsep.join([str(ROOT / ".venv" / "bin"), env.get("PATH", "")])
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={folder}"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_formgrader_button_gives_the_same_scores(course, formgrader):
    """Does formgrader's Autograde button (its HTTP API, which the button calls) regrade every
    learner's part 1 to exactly the score `make autograde` gave, hidden checks included?"""
    folder, _, expected, _, _ = course
    url, token = formgrader
    learners = sorted({learner for learner, assignment in expected if assignment == "part1"})
    for learner in learners:
        request = urllib.request.Request(f"{url}/formgrader/api/submission/part1/{learner}/autograde",
                                         data=b"", method="POST",
                                         headers={"Authorization": f"token {token}"})
        reply = json.loads(urllib.request.urlopen(request, timeout=600).read())
        assert reply["success"], reply.get("error", "")[-2000:]
    make("export", folder)
    scores = read_grades(folder / "grades.csv")
    assert {l: scores[l, "part1"] for l in learners} == {l: float(expected[l, "part1"]) for l in learners}
