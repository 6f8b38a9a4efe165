"""The battery: submissions that hang, crash, flood, tamper or cheat, graded as a class would be.

Each case in tests/bad_submissions/ is a real file (or folder) whose docstring gives its base
(`stub`, `reference` or `none`: what the case's code is pasted over) and its exact expected
outcome, check by check, and what the gradebook's problem column says (nothing if no line):

    expect: standardize_matches_numpy: error "timed out after 5 s"
    expect: *: not attempted
    problem: part 1: timeout

The whole battery is graded once, by `python -m classroom.batch` with two workers and a 15 s
check timeout, exactly as an instructor grades a class; each test then reads one learner's report.
"""

import csv
import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from autograder.checkkit import limits
from conftest import ROOT

pytestmark = pytest.mark.slow
CASES_DIR = ROOT / "tests" / "bad_submissions"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.py")) + sorted(
    p.name for p in CASES_DIR.iterdir() if p.is_dir())
BASES = {"stub": ROOT / "exercises" / "part1_tf2_basics.py",
         "reference": ROOT / "solutions" / "part1_tf2_basics.py"}
EXPECT = re.compile(r'^expect: (\S+): (passed|failed|error|not attempted)(?: "(.*)")?$', re.MULTILINE)
PROBLEM = re.compile(r"^problem: (.*)$", re.MULTILINE)
BASE = re.compile(r"^base: (\w+)$", re.MULTILINE)


def case_text(case):
    path = CASES_DIR / case
    return (path / "README").read_text() if path.is_dir() else path.with_suffix(".py").read_text()


def build_submission(case, folder):
    """The learner folder for `case`: its file pasted over its base, or its folder plus the stub
    (unless its README says `base: none`)."""
    folder.mkdir()
    source = CASES_DIR / case
    if source.is_dir():
        shutil.copytree(source, folder, dirs_exist_ok=True)
        base = BASE.search(case_text(case))
        if not base or base.group(1) != "none":
            shutil.copy(BASES["stub"], folder / "part1_tf2_basics.py")
        return
    text = source.with_suffix(".py").read_text()
    base = BASE.search(text).group(1)
    prefix = "" if base == "none" else BASES[base].read_text() + "\n\n# ---- the case ----\n"
    (folder / "part1_tf2_basics.py").write_text(prefix + text)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every case once, as a class; return (batch output, {case: results.json})."""
    root = tmp_path_factory.mktemp("battery")
    (root / "class").mkdir()
    for case in CASES:
        build_submission(case, root / "class" / case)
    result = subprocess.run(
        [sys.executable, "-m", "classroom.batch", str(root / "class"), "--jobs", "2",
         "--part", "1", "--check-timeout", "15", "--out", str(root / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    reports = {case: json.loads((root / "out" / case / "results.json").read_text()) for case in CASES}
    return result, reports, root


def test_battery_is_large_enough():
    """Does the battery hold at least 25 bad submissions, each with an expected outcome?"""
    assert len(CASES) >= 25
    for case in CASES:
        assert EXPECT.search(case_text(case)), f"{case} has no 'expect:' line"


@pytest.mark.parametrize("case", CASES)
def test_bad_submission_gets_its_exact_outcome(graded, case):
    """Does each bad submission get exactly its expected outcome on every check, and a report?"""
    _, reports, _ = graded
    expectations = {name: (status, words) for name, status, words in EXPECT.findall(case_text(case))}
    for test in reports[case]["tests"]:
        name = test["name"].split(": ", 1)[1]
        status, words = expectations.get(name, expectations.get("*", (None, None)))
        assert status is not None, f"{case}: no expectation covers {name}"
        passed = test["score"] == test["max_score"]
        assert passed == (status == "passed"), (name, test["output"])
        if status == "not attempted":
            assert "not attempted yet" in test["output"], (name, test["output"])
        if words:
            assert words in test["output"], (name, test["output"])


def test_no_process_outlives_grading(graded):
    """Are the processes a submission forked gone once its grading is over?"""
    _, _, root = graded
    leftovers = []
    for cmdline in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(root / "class") in cmdline.read_text():
                leftovers.append(cmdline.parent.name)
        except OSError:
            pass
    assert leftovers == []


def test_batch_reports_progress_and_gradebook(graded):
    """Does grade-batch show progress for every learner and write one gradebook row each?"""
    result, reports, root = graded
    lines = pytest.LineMatcher(result.stdout.splitlines())
    lines.fnmatch_lines([f"Grading {len(CASES)} learners from * with 2 warm workers ..."])
    for case in CASES:  # one call each: workers finish in any order
        lines.re_match_lines([rf"\[\d+/{len(CASES)}\] {case}: [\d.]+/[\d.]+ \([\d.]+ s\)"])
    lines.fnmatch_lines([f"Graded {len(CASES)} learners in * s (* learners per minute); gradebook: *"])
    rows = (root / "out" / "grades.csv").read_text().splitlines()
    assert rows[0] == "learner,part1,total,max,problem" and len(rows) == len(CASES) + 1


@pytest.mark.parametrize("case", CASES)
def test_gradebook_names_what_went_wrong(graded, case):
    """Does grades.csv's problem column name what went wrong for each learner (syntax error, no
    file, notebook only, import error, crash, timeout, out of memory, tampering), and stay empty
    for a learner whose code merely gives wrong answers?"""
    _, _, root = graded
    with open(root / "out" / "grades.csv", newline="") as stream:
        rows = {row["learner"]: row for row in csv.DictReader(stream)}
    expected = PROBLEM.search(case_text(case))
    assert rows[case]["problem"] == (expected.group(1) if expected else "")


def test_output_is_kept_up_to_a_cap(graded):
    """Is a learner's 200 MB of output kept up to the cap beside the report, the rest counted in a
    note, with no check lost for it (the case's report: every check passed)?"""
    _, _, root = graded
    kept = (root / "out" / "output_flood" / "part1_output.txt").read_bytes()
    body, note = kept.rsplit(b"\n...", 1)  # the reference's own lines, then the case's
    assert len(body) == limits.OUTPUT_KEPT_BYTES and body.count(b"x" * 1023 + b"\n") == 1023
    assert note == b" 199 MB more output not shown\n"
