"""`make grade`: grade each part in its own pytest process, merge, print the table, write the report.

A part runs in a child process so that whatever a learner's code does to its process (a hang, a
crash, sys.exit, exhausting memory) costs only the checks it touches: the child streams one JSON
record per check (plugin.py), and this parent fills in what the child never reported.

Exit status: 0 when grading ran, whatever the score; 2 when grading itself could not run.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

from autograder import registry, report
from autograder.environment import ROOT

PART_TIMEOUT = 900  # seconds for a whole part; each check also has its own alarm (registry.check)
LOG_TAIL = 4000  # characters of a child's output kept for a message


def available_parts():
    """The parts the course grades: those with a checks module."""
    return [p for p in registry.PARTS if (ROOT / "autograder" / "checks" / f"part{p}.py").exists()]


def grade_part(part, submission, workdir, reports_dir):
    """Run one part's checks in a child pytest; return (results, problem or None)."""
    records_path = workdir / f"part{part}.jsonl"
    command = [
        sys.executable, "-m", "pytest", str(ROOT / "autograder" / "test_checks.py"),
        "-p", "autograder.plugin", "-p", "no:cacheprovider", "-q",
        "-c", str(ROOT / "autograder" / "pytest.ini"), "--rootdir", str(ROOT),
        "--part", str(part), "--submission", str(submission), "--results-jsonl", str(records_path),
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3",
               AUTOGRADER_REPORTS_DIR=str(reports_dir))
    log_path = workdir / f"part{part}.log"
    with open(log_path, "wb") as log:
        try:
            returncode = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                        stdout=log, stderr=subprocess.STDOUT,
                                        timeout=PART_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            returncode = None
    records = read_records(records_path)
    return merge(part, records, returncode, tail(log_path))


def read_records(path):
    records = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a line cut short by a dying process
    return records


def tail(path):
    data = path.read_bytes()[-LOG_TAIL:] if path.exists() else b""
    return data.decode(errors="replace")


def merge(part, records, returncode, log_tail):
    """The part's results; checks the child never finished get zero and the reason."""
    collected = next((r["checks"] for r in records if r["event"] == "collected"), None)
    if collected is None:
        return [], f"part {part}: the grader could not start (exit {returncode}):\n{log_tail}"
    finished = {r["name"]: r for r in records if r["event"] == "result"}
    started = [r["name"] for r in records if r["event"] == "started"]
    running = started[-1] if started and started[-1] not in finished else None
    if returncode is None:
        cause = f"the part timed out after {PART_TIMEOUT} s"
    elif returncode < 0:
        cause = f"the grading process was killed (signal {-returncode}; out of memory?)"
    else:
        cause = f"the grading process stopped early (exit {returncode}; sys.exit or os._exit?)"
    results = []
    for check in collected:
        if check["name"] in finished:
            results.append({k: v for k, v in finished[check["name"]].items() if k != "event"})
        elif check["name"] == running:
            results.append(dict(check, message=f"part {part}, {check['exercise']}: {cause} while running this check."))
        else:
            results.append(dict(check, message=f"part {part}, {check['exercise']}: not run: {cause} before this check.",))
    problem = None
    if returncode not in (0, 1) and not running and len(finished) == len(collected):
        problem = f"part {part}: pytest exited {returncode}:\n{log_tail}"
    return results, problem


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", help="part to grade (repeat); default: all")
    parser.add_argument("--submission", default="exercises", help="folder or file (default: exercises)")
    parser.add_argument("--report", default="reports/results.json", help="Gradescope results.json path")
    args = parser.parse_args(argv)

    submission = pathlib.Path(args.submission).resolve()
    if not submission.exists():
        print(f"grade: no such submission: {args.submission}", file=sys.stderr)
        return 2
    parts = args.part or available_parts()
    unknown = [p for p in parts if p not in available_parts()]
    if unknown:
        print(f"grade: no part {unknown[0]}; the course has parts {available_parts()}", file=sys.stderr)
        return 2

    print(f"Grading {args.submission}, part{'s' if len(parts) > 1 else ''} "
          + ", ".join(map(str, parts)) + " ...", flush=True)
    begin = time.monotonic()
    results, problems = [], []
    report_path = pathlib.Path(args.report).resolve()
    with tempfile.TemporaryDirectory(prefix="grade-") as workdir:
        for part in parts:
            part_results, problem = grade_part(part, submission, pathlib.Path(workdir),
                                               report_path.parent)
            results += part_results
            if problem:
                problems.append(problem)
    report.write_results(report_path, results, time.monotonic() - begin)
    print()
    print(report.format_table(results))
    print(f"Report: {args.report} ({time.monotonic() - begin:.1f} s)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    return 0
