"""`make grade-batch`: its results folder (each run starts it afresh, and never clears a folder
it did not write), its warm graders against one process per learner, and a learner whose code
kills the warm grader. (The problem column for each failure kind: test_battery.py; on a Dask
cluster: test_cluster.py.)"""

import csv
import json
import subprocess
import sys

import pytest

from conftest import ROOT, killing_above, names_itself

pytestmark = pytest.mark.slow


def grade_class(learners, out):
    """Grade a class of learners who handed in no file at all (nothing to run: quick)."""
    folder = out.parent / f"class-{'-'.join(learners)}"
    for learner in learners:
        (folder / learner).mkdir(parents=True)
        (folder / learner / "notes.txt").write_text("not done yet\n")
    return subprocess.run([sys.executable, "-m", "classroom.batch", str(folder), "--part", "1",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=1800)


def test_each_run_starts_its_results_folder_afresh(tmp_path):
    """Does a second run leave none of the first run's per-learner results beside its gradebook?"""
    out = tmp_path / "batch"
    assert grade_class(["ada", "alan"], out).returncode == 0
    result = grade_class(["grace"], out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".grade-batch", "grace", "grades.csv"]
    with open(out / "grades.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["learner"], row["problem"]) for row in rows] == [("grace", "part 1: no file")]


def test_refuses_to_clear_a_folder_it_did_not_write(tmp_path):
    """Does grade-batch refuse an --out folder holding someone's files, and leave them be?"""
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("\\chapter{One}\n")
    result = grade_class(["ada"], out)
    assert result.returncode == 2 and "did not write" in result.stderr
    assert [p.name for p in out.iterdir()] == ["chapter1.tex"]


def small_class(folder, **extra):
    """The reference, the stub and a learner with no file (part 1), plus {name: source} files."""
    sources = {"ada": (ROOT / "solutions" / "part1_tf2_basics.py").read_text(),
               "bob": (ROOT / "exercises" / "part1_tf2_basics.py").read_text(), **extra}
    for learner, source in sources.items():
        (folder / learner).mkdir(parents=True)
        (folder / learner / "part1_tf2_basics.py").write_text(source)
    (folder / "cy").mkdir()
    (folder / "cy" / "notes.txt").write_text("not done yet\n")
    return folder


def batch(folder, out, *options, status=0):
    """Grade `folder` with grade-batch (Part 1, two at a time); expect exit `status`: 3 when the
    grader failed some learner, as `make grade` exits."""
    result = subprocess.run([sys.executable, "-m", "classroom.batch", str(folder), "--part", "1",
                             "--jobs", "2", "--out", str(out), *options],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == status, result.stdout + result.stderr
    with open(out / "grades.csv", newline="") as stream:
        return result, {row["learner"]: row for row in csv.DictReader(stream)}


def outcomes(report):
    return [(t["name"], t["score"], t["output"]) for t in json.loads(report.read_text())["tests"]]


def test_warm_graders_grade_as_one_process_per_learner(tmp_path):
    """Do the warm graders give each learner the very report and gradebook row that a `python -m
    autograder` of its own gives (`--cold`), with a progress line per learner and a summary?"""
    folder = small_class(tmp_path / "class")
    warm, warm_rows = batch(folder, tmp_path / "warm")
    _, cold_rows = batch(folder, tmp_path / "cold", "--cold")
    assert warm_rows == cold_rows
    assert [warm_rows[name]["total"] for name in ("ada", "bob", "cy")] == ["26", "0", "0"]
    for learner in ("ada", "bob", "cy"):
        assert outcomes(tmp_path / "warm" / learner / "results.json") == outcomes(
            tmp_path / "cold" / learner / "results.json")
        assert (tmp_path / "warm" / learner / "grade.log").read_text().startswith("Grading ")
    lines = pytest.LineMatcher(warm.stdout.splitlines())
    lines.fnmatch_lines(["Grading 3 learners from * with 2 warm workers ...",
                         "[[]3/3[]] *: */26 (* s)*| * learners/min, done, 1 with a problem so far",
                         "Graded 3 learners in * s (* learners per minute); gradebook: *",
                         "Learners with a problem: 1 (no file 1); failures of the grader: 0"])


def test_a_learner_that_kills_the_warm_grader_costs_only_itself(tmp_path):
    """Is a learner whose grading kills the warm grader (here the test kills it, as the
    out-of-memory killer would) reported as a grading failure once it has done so twice, while
    every other learner is graded as usual?"""
    stub = (ROOT / "exercises" / "part1_tf2_basics.py").read_text()
    folder = small_class(tmp_path / "class", dee=stub + names_itself("kill-my-grader"))
    with killing_above("kill-my-grader", "classroom.warm_grader") as killed:
        result, rows = batch(folder, tmp_path / "out", status=3)
    assert len(killed) == 2
    assert rows["dee"]["total"] == "" and rows["dee"]["problem"].startswith(
        "grading failure (the grader's process died twice while grading it; the second time it "
        "ended (killed by SIGKILL)")
    assert [rows[name]["total"] for name in ("ada", "bob", "cy")] == ["26", "0", "0"]
    assert "not graded: the grader's process died twice" in (tmp_path / "out" / "dee" / "grade.log").read_text()
    assert "failures of the grader: 1" in result.stdout
