"""`make grade-batch`'s results folder: each run starts it afresh, and never clears a folder it
did not write. (The problem column for each failure kind: test_battery.py.)"""

import csv
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def grade_class(learners, out):
    """Grade a class of learners who handed in no file at all (nothing to run: quick)."""
    folder = out.parent / f"class-{'-'.join(learners)}"
    for learner in learners:
        (folder / learner).mkdir(parents=True)
        (folder / learner / "notes.txt").write_text("not done yet\n")
    return subprocess.run([sys.executable, "-m", "autograder.batch", str(folder), "--part", "1",
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
