"""`make grade` as a learner runs it: a subprocess, its output matched line by line."""

import json
import subprocess
import sys

import pytest

from autograder.checks import checks_for
from conftest import ROOT

pytestmark = pytest.mark.slow
PART1_POINTS = sum(c.points for c in checks_for(1))


def grade(*args, report):
    result = subprocess.run([sys.executable, "-m", "autograder", *args, "--report", str(report)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    return result, pytest.LineMatcher(result.stdout.splitlines())


@pytest.fixture(scope="module")
def reference_run():
    result = subprocess.run(["make", "-s", "grade", "PART=1", "SUBMISSION=solutions"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    return result, json.loads((ROOT / "reports" / "results.json").read_text())  # read now: later runs overwrite it


def test_make_grade_reference_full_marks(reference_run):
    """Does `make grade PART=1 SUBMISSION=solutions` print each check's line as it finishes, then
    every check as passed, with what it measured under it, and the total?"""
    result, report = reference_run
    assert result.returncode == 0, result.stderr
    measures = {t["name"].split(": ", 1)[1]: "measured" in t["extra_data"] for t in report["tests"]}
    assert any(measures.values())
    lines = pytest.LineMatcher(result.stdout.splitlines())
    finished, checks = [], []
    for c in checks_for(1):
        finished.append(f"  part 1  PASS *{c.points:g}/{c.points:g}  {c.exercise}: {c.name} (* s)")
        checks.append(f"  PASS *{c.points:g}/{c.points:g}  {c.exercise}: {c.name}")
        if measures[c.name]:
            checks.append(" " * 15 + "* (needs at * *)")
    lines.fnmatch_lines(["Grading solutions, part 1 ..."] + finished + ["", "Part 1 (part1_tf2_basics)"]
                        + checks
                        + [f"  Part 1: {PART1_POINTS:g}/{PART1_POINTS:g} points", "",
                           f"Total: {PART1_POINTS:g}/{PART1_POINTS:g} points",
                           "Report: reports/results.json (*s)"], consecutive=True)
    assert result.stderr == "", "grading must be quiet on stderr"


def test_results_json_follows_gradescope_schema(reference_run):
    """Is reports/results.json Gradescope's schema, with the total and one entry per check?"""
    _, results = reference_run
    assert results["score"] == results["max_score"] == PART1_POINTS
    assert len(results["tests"]) == len(checks_for(1))
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output", "visibility"}
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def test_stub_scores_zero_not_attempted(tmp_path):
    """Does grading the untouched stubs give 0 with 'not attempted yet' under every check?"""
    result, lines = grade("--part", "1", report=tmp_path / "r.json")
    assert result.returncode == 0
    for check in checks_for(1):
        lines.fnmatch_lines([f"  TODO *0/{check.points:g}  {check.exercise}: {check.name}",
                             f"*part 1, {check.exercise}: not attempted yet"], consecutive=True)
    lines.fnmatch_lines([f"Total: 0/{PART1_POINTS:g} points"])
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 0


@pytest.mark.parametrize("source, words", [
    ("def standardize(x, axis=0)\n    return x\n", "syntax error at line 1"),
    ("import tensorflow as tf\nraise RuntimeError('boom')\n", "could not be imported: your code raised RuntimeError: boom (line 2"),
    ("import sys\nsys.exit(3)\n", "could not be imported: your code raised SystemExit"),
])
def test_broken_file_scores_zero_with_reason(tmp_path, source, words):
    """Does a file that cannot be imported score 0 on every check, say why once in the table (in
    every entry of results.json), and still write the report?"""
    (tmp_path / "part1_tf2_basics.py").write_text(source)
    result, lines = grade("--part", "1", "--submission", str(tmp_path), report=tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    lines.fnmatch_lines([f"Total: 0/{PART1_POINTS:g} points"])
    results = json.loads((tmp_path / "r.json").read_text())
    assert results["score"] == 0 and len(results["tests"]) == len(checks_for(1))
    assert all(words in test["output"] for test in results["tests"]), results["tests"][0]
    assert " ".join(result.stdout.split()).count(words) == 1, result.stdout  # once, for the part


def test_unknown_submission_is_a_grading_error(tmp_path):
    """Does a submission path that does not exist exit non-zero (grading could not run)?"""
    result, _ = grade("--submission", str(tmp_path / "nowhere"), report=tmp_path / "r.json")
    assert result.returncode == 2 and "no such submission" in result.stderr


def test_same_submission_same_report(tmp_path, reference_run):
    """Does grading the same submission again give the same report, but for times and memory?"""
    _, first = reference_run
    first = json.loads(json.dumps(first))  # a copy: other tests read the fixture too
    result, _ = grade("--part", "1", "--submission", "solutions", report=tmp_path / "again.json")
    assert result.returncode == 0, result.stderr
    again = json.loads((tmp_path / "again.json").read_text())
    for report in (first, again):
        report.pop("execution_time"), report.pop("extra_data")
        for test in report["tests"]:
            test["extra_data"].pop("seconds")
    assert again == first


def test_learner_code_sees_only_its_output_and_the_grader_pipe(tmp_path):
    """Does a learner's code, in a process forked from the fork server, find one pipe beside its
    output's, the grader's (not the server's keep-alive pipe or the resource tracker's, which it
    could break)?"""
    folder = tmp_path / "learner"
    folder.mkdir()
    # The sandbox lets learner code write nowhere a test could read: it reports by its error.
    (folder / "part1_tf2_basics.py").write_text(
        (ROOT / "exercises" / "part1_tf2_basics.py").read_text()
        + "\nimport json as _json, os as _os\n"
        + "_listing = _os.listdir('/proc/self/fd')\n"
        + "raise RuntimeError('descriptors=' + _json.dumps("
        + "{fd: _os.readlink(f'/proc/self/fd/{fd}') for fd in _listing if _os.path.exists(f'/proc/self/fd/{fd}')}))\n")
    result, _ = grade("--part", "1", "--submission", str(folder), report=tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    output = json.loads((tmp_path / "r.json").read_text())["tests"][0]["output"]
    descriptors = json.JSONDecoder().raw_decode(output[output.index("descriptors=") + 12:])[0]
    pipes = {target for fd, target in descriptors.items() if target.startswith("pipe:") and int(fd) > 2}
    assert len(pipes - {descriptors["1"]}) == 1, descriptors  # the grader's (fd 1 and 2: the output's)
