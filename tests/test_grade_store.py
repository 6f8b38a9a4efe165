"""`make grade`'s store as learners run it (`python -m autograder --store`, in a subprocess):
an unchanged file graded with no grading process at all, an edit graded alone and reported as a
fresh grading reports it, a kept message whose line moved, FRESH, the attempt log, and the paths
that record grades never reading a store that came with a submission."""

import hashlib
import json
import re
import shutil
import subprocess
import sys

import pytest

from autograder.checkkit.registry import PARTS
from autograder.feedback import attempts
from conftest import ROOT, WRONG_ANSWERS

pytestmark = pytest.mark.slow
PART1 = PARTS[1] + ".py"


def grade(folder, *extra, store=True):
    """`python -m autograder --part 1` on folder/sub, report in folder/reports, store in folder/store."""
    command = [sys.executable, "-m", "autograder", "--part", "1", "--submission", str(folder / "sub"),
               "--report", str(folder / "reports" / "results.json"), *extra]
    if store:
        command += ["--store", str(folder / "store")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result, json.loads((folder / "reports" / "results.json").read_text())


def progress_lines(stdout):
    return [line for line in stdout.splitlines() if line.startswith("  part 1  ")]


def same_report(a, b):
    """Two results.json files' tests, the seconds and the cached marks aside."""
    def plain(report):
        return [{**t, "extra_data": {k: v for k, v in t["extra_data"].items() if k not in ("seconds", "cached")}}
                for t in report["tests"]]

    return (a["score"], a["max_score"], plain(a)) == (b["score"], b["max_score"], plain(b))


def write(folder, *answers, above=""):
    """folder/sub's Part 1 file: the reference (with `above` after its docstring) and `answers`
    pasted after it, as banks.compose does."""
    text = (ROOT / "solutions" / PART1).read_text()
    head, _, rest = text.partition('"""\n\n')
    text = head + '"""\n\n' + above + rest
    for answer in answers:
        text += "\n\n# ---- the learner's version of what follows ----\n" + (WRONG_ANSWERS / "part1" / answer).read_text()
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / PART1).write_text(text)
    return folder / "sub" / PART1


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """A learner's session on Part 1: the reference graded, graded again unchanged, then with
    standardize broken, then FRESH; each run's stdout and results.json."""
    folder = tmp_path_factory.mktemp("store")
    runs, digests = {}, []
    write(folder)
    for name, extra in [("first", ()), ("unchanged", ())]:
        runs[name] = grade(folder, *extra)
        digests.append(hashlib.sha256((folder / "sub" / PART1).read_bytes()).hexdigest())
    write(folder, "standardize_ignores_axis.py")
    runs["edited"] = grade(folder)
    digests.append(hashlib.sha256((folder / "sub" / PART1).read_bytes()).hexdigest())
    runs["edited, fresh"] = grade(folder, store=False)
    runs["FRESH=1"] = grade(folder, "--fresh")
    digests.append(digests[-1])
    return folder, runs, digests


def test_unchanged_file_is_reported_from_the_store_without_grading(session):
    """Graded again unchanged, is every check's line marked "(kept)", every results.json entry
    `cached`, the report the same as the first, and no grading process started (so no
    TensorFlow imported)?"""
    _, runs, _ = session
    stdout, report = runs["unchanged"]
    lines = progress_lines(stdout.stdout)
    assert lines and all(line.endswith(" (kept)") for line in lines), lines
    assert all(t["extra_data"].get("cached") is True for t in report["tests"])
    assert report["extra_data"]["parts"][0]["processes"] == 0
    assert report["extra_data"]["parts"][0]["kept"] == len(report["tests"])
    assert same_report(report, runs["first"][1]) and report["score"] == report["max_score"]
    assert not any("(kept)" in line for line in progress_lines(runs["first"][0].stdout))


def test_edited_exercise_is_graded_alone_and_reported_as_fresh(session):
    """After standardize is broken, is only its check graded again (its line has its seconds,
    every other line "(kept)"), and is results.json what a fresh grading of that file writes?"""
    _, runs, _ = session
    stdout, report = runs["edited"]
    graded = [line for line in progress_lines(stdout.stdout) if not line.endswith(" (kept)")]
    assert len(graded) == 1 and re.search(r"FAIL   0/2  standardize: standardize_matches_numpy \(\d+\.\d s\)$", graded[0])
    assert same_report(report, runs["edited, fresh"][1])
    assert report["extra_data"]["parts"][0]["processes"] == 1


def test_fresh_grades_every_check_again(session):
    """Does --fresh (FRESH=1) grade every check again, reusing nothing, with the same report?"""
    _, runs, _ = session
    stdout, report = runs["FRESH=1"]
    assert not any("(kept)" in line for line in progress_lines(stdout.stdout))
    assert not any(t["extra_data"].get("cached") for t in report["tests"])
    assert same_report(report, runs["edited, fresh"][1])


def test_each_grading_appends_one_attempt(session):
    """Does each grading with the store append one "grade" line to reports/attempts.jsonl, with
    the file's digest, the part's points and each check's outcome (kept or not), and a grading
    without the store (a path that records grades) none?"""
    folder, runs, digests = session
    logged = attempts.read(folder / "reports")
    assert [r["kind"] for r in logged] == ["grade"] * 4 and [r["digest"] for r in logged] == digests
    assert [r["score"] for r in logged] == [26, 26, 24, 24] and {r["max_score"] for r in logged} == {26}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["time"]) for r in logged)
    assert logged[2]["checks"]["standardize_matches_numpy"] == {"status": "failed", "score": 0,
                                                                "max_score": 2, "cached": False}
    assert logged[2]["checks"]["cubic_gradients_known_values"]["cached"] is True


def test_kept_message_names_the_line_its_statement_moved_to(tmp_path):
    """A kept message that names a line of the learner's file ("line N of your file: ..."):
    after comment lines are added above that statement, is it reused with the line number it
    now has, as a fresh grading says it?"""
    write(tmp_path, "dense_layer_transposed_kernel.py")
    first = grade(tmp_path)[1]
    message = next(t["output"] for t in first["tests"] if t["extra_data"]["check"] == "dense_layer_output")
    assert re.search(r"line \d+ of your file", message), message
    write(tmp_path, "dense_layer_transposed_kernel.py", above="# my notes\n# more notes\n\n")
    stdout, moved = grade(tmp_path)
    fresh = grade(tmp_path, store=False)[1]
    assert same_report(moved, fresh) and moved["extra_data"]["parts"][0]["processes"] == 0
    assert re.search(r"DenseLayer: dense_layer_output \(kept\)", stdout.stdout)
    number = int(re.search(r"line (\d+) of your file", message)[1])
    assert f"line {number + 3} of your file" in next(
        t["output"] for t in moved["tests"] if t["extra_data"]["check"] == "dense_layer_output")


def test_an_edit_that_breaks_the_import_fails_every_check_kept_or_not(tmp_path):
    """When an edited definition makes the file fail to import (a decorator naming nothing),
    does every check report the import's failure, those kept from before included, as a fresh
    grading does?"""
    path = write(tmp_path)
    grade(tmp_path)
    path.write_text(path.read_text() + "\n\n@tf.function(input_signature=[undefined_spec])\n"
                    "def standardize(x, axis=0):\n    return x\n")
    stdout, broken = grade(tmp_path)
    assert same_report(broken, grade(tmp_path, store=False)[1])
    assert {t["extra_data"]["status"] for t in broken["tests"]} == {"error"}
    assert all("your file could not be imported" in t["output"] for t in broken["tests"])
    assert not any(t["extra_data"].get("cached") for t in broken["tests"])


def poisoned(folder, submission):
    """A store kept from grading the stub at `submission`, with every outcome turned into full
    marks: what a learner could hand in to fake a grade."""
    store = submission / ".grade-store"
    shutil.copy(ROOT / "exercises" / PART1, submission / PART1)
    command = [sys.executable, "-m", "autograder", "--part", "1", "--submission", str(submission),
               "--report", str(folder / "poison" / "results.json"), "--store", str(folder / "made")]
    subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=True)
    data = json.loads((folder / "made" / "part1.json").read_text())
    for entries in data["outcomes"].values():
        for entry in entries:
            entry["result"].update(status="passed", score=entry["result"]["max_score"], message="")
    (folder / "made" / "part1.json").write_text(json.dumps(data))
    shutil.copytree(folder / "made", store)
    return store


def test_a_store_that_came_with_a_submission_is_never_read(tmp_path):
    """With a faked store inside the learner's folder: does grade-batch (the class path all
    others share the engine's arguments with) grade the stub as zero, does `--store` pointing
    inside the submission refuse it, and would that store have been read from elsewhere?"""
    learner = tmp_path / "class" / "ada"
    learner.mkdir(parents=True)
    store = poisoned(tmp_path, learner)
    batch = subprocess.run([sys.executable, "-m", "classroom.batch", str(tmp_path / "class"), "--part", "1",
                            "--out", str(tmp_path / "batch")], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert json.loads((tmp_path / "batch" / "ada" / "results.json").read_text())["score"] == 0
    inside = subprocess.run([sys.executable, "-m", "autograder", "--part", "1", "--submission", str(learner),
                             "--report", str(tmp_path / "r.json"), "--store", str(store)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert "it is inside the submission" in inside.stderr and "(kept)" not in inside.stdout
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 0
    shutil.copytree(store, tmp_path / "outside")  # the control: elsewhere, the fake is read
    outside = subprocess.run([sys.executable, "-m", "autograder", "--part", "1", "--submission", str(learner),
                              "--report", str(tmp_path / "r.json"), "--store", str(tmp_path / "outside")],
                             cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert "(kept)" in outside.stdout and json.loads((tmp_path / "r.json").read_text())["score"] > 0


def test_paths_that_record_grades_never_pass_a_store():
    """Do the class paths (grade-batch and Dask through classroom/learner.py, make autograde
    through handout/pregrade.py, the Gradescope zip's runner, the Classroom workflow) build the
    engine's arguments without --store, the learner's own loop being the Makefile's alone?"""
    from classroom import learner
    from handout import student_repo

    assert "--store" not in learner.engine_arguments(ROOT / "x", ROOT / "r.json", [1], None)
    for path in [*(ROOT / "classroom").glob("*.py"), *(ROOT / "handout").rglob("*.py"),
                 ROOT / "handout" / "templates" / "gradescope_grade.py"]:
        assert "--store" not in path.read_text(), path
    workflow = student_repo.classroom_workflow(student_repo.graded_parts())
    assert "run: make grade FRESH=1" in workflow and "run: make grade\n" not in workflow
    for makefile in (ROOT / "Makefile", ROOT / "handout" / "templates" / "student.mk"):
        assert "--store .grade-store $(if $(FRESH),--fresh)" in makefile.read_text(), makefile
