"""The attempt log (reports/attempts.jsonl) and `make progress`'s table and picture, from the log
alone."""

import json
import re
import subprocess
import sys

from autograder.feedback import attempts, progress
from conftest import ROOT


def grade_line(time, part, score, max_score=26):
    return {"time": time, "kind": "grade", "part": part, "digest": "d" * 64, "score": score,
            "max_score": max_score, "checks": {}}


def test_append_adds_time_and_one_line_and_read_skips_what_is_not_a_record(tmp_path):
    """Does append create the folder, add an ISO-8601 UTC time when the record has none and write
    one line per record; and does read return the records in order, skipping a cut line, a
    non-object and blank lines?"""
    reports = tmp_path / "reports"
    attempts.append(reports, {"kind": "hint", "part": 1, "exercise": "standardize", "level": 1})
    attempts.append(reports, grade_line("2026-12-07T10:00:00Z", 1, 5))
    with open(reports / attempts.NAME, "a") as log:
        log.write('{"kind": "grade", "part": 1, "sco\n[1, 2]\n\n')
    attempts.append(reports, grade_line("2026-12-07T10:05:00Z", 1, 7))
    lines = (reports / attempts.NAME).read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(lines[i]) for i in (0, 1, 5))
    records = attempts.read(reports)
    assert [r["kind"] for r in records] == ["hint", "grade", "grade"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", records[0]["time"])
    assert records[1]["time"] == "2026-12-07T10:00:00Z" and records[2]["score"] == 7
    assert attempts.read(tmp_path / "nowhere") == []


def test_grade_record_sums_the_part_and_marks_kept_checks():
    """Does a part's "grade" line carry its points and each check's outcome, kept or not?"""
    results = [{"name": "a", "status": "passed", "score": 2, "max_score": 2, "cached": True},
               {"name": "b", "status": "failed", "score": 0, "max_score": 1}]
    record = attempts.grade_record(1, "abc", results, "2026-12-07T10:00:00Z")
    assert record == {"time": "2026-12-07T10:00:00Z", "kind": "grade", "part": 1, "digest": "abc",
                      "score": 2, "max_score": 3,
                      "checks": {"a": {"status": "passed", "score": 2, "max_score": 2, "cached": True},
                                 "b": {"status": "failed", "score": 0, "max_score": 1, "cached": False}}}


def test_progress_rows_group_a_grading_and_count_hints():
    """Is one grading of several parts (lines sharing a time) one row, with each part's points
    where it was graded, the total of each part's latest points, and the hints asked since?"""
    records = [grade_line("t1", 1, 5), grade_line("t1", 2, 0, 27),
               {"time": "t2", "kind": "hint", "part": 1}, {"time": "t3", "kind": "hint", "part": 1},
               grade_line("t4", 1, 12), grade_line("t5", 1, 12), {"kind": "something else"}]
    found = progress.rows(records)
    assert [(r["parts"], r["total"], r["hints"]) for r in found] == [
        ({1: (5, 26), 2: (0, 27)}, (5, 53), 0), ({1: (12, 26)}, (12, 53), 2), ({1: (12, 26)}, (12, 53), 0)]
    text = progress.table(found).splitlines()
    assert text[0].split() == ["attempt", "time", "(UTC)", "part", "1", "part", "2", "total", "hints"]
    assert text[2].split() == ["2", "t4", "12/26", "12/53", "2"]


def test_make_progress_prints_the_table_and_draws_the_picture(tmp_path):
    """Does `python -m autograder.feedback.progress` (what `make progress` runs) print the table
    from the log alone and write reports/progress.png, and say what to do when there is no log?"""
    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "autograder.feedback.progress", "--reports", str(reports)]
    empty = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert empty.returncode == 0 and "No attempts yet" in empty.stdout
    for time, score in [("2026-12-07T10:00:00Z", 5), ("2026-12-07T10:05:00Z", 12)]:
        attempts.append(reports, grade_line(time, 1, score))
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert re.search(r"^ +2  2026-12-07 10:05:00 +12/26 +12/26$", result.stdout, re.MULTILINE), result.stdout
    assert (reports / "progress.png").read_bytes().startswith(b"\x89PNG")
    assert f"Picture: {reports / 'progress.png'}" in result.stdout
