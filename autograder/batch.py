"""`make grade-batch`: grade a whole class, one folder per learner, several learners at once.

    python -m autograder.batch SUBMISSIONS [--jobs N] [--out DIR] [--part N ...]

Each learner is graded by `python -m autograder` in a process of its own (so one learner's
submission can never take another's grade down), writing DIR/<learner>/results.json; the class
gradebook is DIR/grades.csv, one row per learner, with the points of each part and the total.
"""

import argparse
import concurrent.futures
import csv
import json
import os
import pathlib
import subprocess
import sys
import time

from autograder.environment import ROOT


def grade_learner(folder, out, parts, check_timeout):
    """Grade one learner; return (learner, results dict or None, seconds, problem)."""
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "autograder", "--submission", str(folder),
               "--report", str(report), "--jobs", "1"]
    for part in parts:
        command += ["--part", str(part)]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    begin = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    (report.parent / "grade.log").write_text(result.stdout + result.stderr)
    seconds = time.monotonic() - begin
    try:
        results = json.loads(report.read_text())
    except (OSError, ValueError):
        return folder.name, None, seconds, f"no report (exit {result.returncode}; see grade.log)"
    problem = None if result.returncode == 0 else f"exit {result.returncode}; see grade.log"
    return folder.name, results, seconds, problem


def points_by_part(results):
    """{part number: (score, max)} from a results.json whose test names start with 'part N /'."""
    totals = {}
    for test in results["tests"]:
        part = int(test["name"].split()[1])
        score, possible = totals.get(part, (0, 0))
        totals[part] = (score + test["score"], possible + test["max_score"])
    return totals


def write_gradebook(path, rows, parts):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["learner"] + [f"part{p}" for p in parts] + ["total", "max", "problem"])
        for learner, results, _, problem in sorted(rows, key=lambda row: row[0]):
            if results is None:
                writer.writerow([learner] + [""] * len(parts) + ["", "", problem])
                continue
            totals = points_by_part(results)
            writer.writerow([learner] + [f"{totals.get(p, (0, 0))[0]:g}" for p in parts]
                            + [f"{results['score']:g}", f"{results['max_score']:g}", problem or ""])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=pathlib.Path, help="a folder with one folder per learner")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="learners graded at once")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("reports/batch"))
    parser.add_argument("--part", type=int, action="append", default=[], help="part to grade (repeat)")
    parser.add_argument("--check-timeout", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not args.submissions.is_dir():
        print(f"grade-batch: no such folder: {args.submissions}", file=sys.stderr)
        return 2
    learners = sorted(p for p in args.submissions.iterdir() if p.is_dir())
    if not learners:
        print(f"grade-batch: {args.submissions} holds no learner folders", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"Grading {len(learners)} learners from {args.submissions} with {args.jobs} workers ...", flush=True)
    begin, rows = time.monotonic(), []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = [pool.submit(grade_learner, folder.resolve(), args.out.resolve(), args.part,
                               args.check_timeout) for folder in learners]
        for count, future in enumerate(concurrent.futures.as_completed(futures), 1):
            learner, results, seconds, problem = future.result()
            rows.append((learner, results, seconds, problem))
            score = "no score" if results is None else f"{results['score']:g}/{results['max_score']:g}"
            print(f"[{count}/{len(learners)}] {learner}: {score} ({seconds:.1f} s)"
                  + (f"  ! {problem}" if problem else ""), flush=True)
    parts = sorted({p for _, results, _, _ in rows if results for p in points_by_part(results)})
    write_gradebook(args.out / "grades.csv", rows, parts)
    elapsed = time.monotonic() - begin
    print(f"Graded {len(learners)} learners in {elapsed:.1f} s "
          f"({60 * len(learners) / elapsed:.1f} learners per minute); gradebook: {args.out / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
