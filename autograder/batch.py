"""`make grade-batch`: grade a whole class, one folder per learner, several learners at once.

    python -m autograder.batch SUBMISSIONS [--jobs N] [--out DIR] [--part N ...]

Each learner is graded by `python -m autograder` in a process of its own (so one learner's
submission can never take another's grade down), writing DIR/<learner>/results.json; the class
gradebook is DIR/grades.csv, one row per learner, with the points of each part, the total and
what went wrong, if anything ("part 1: syntax error; part 3: no file"; problems.py names the
kinds). Each run starts DIR afresh, so no earlier run's results mix with this one's. A learner
the grader failed (it ran out of memory beside the others) is graded again at the end, alone.
"""

import argparse
import concurrent.futures
import csv
import dataclasses
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

from autograder import container, limits, run
from autograder.environment import ROOT

MARKER = ".grade-batch"  # in every folder a run wrote: only such a folder is cleared by the next


@dataclasses.dataclass
class Graded:
    learner: str
    results: dict | None  # the learner's results.json, None when the grader wrote none
    seconds: float
    problem: str  # "" when nothing went wrong


def grade_learner(folder, out, parts, check_timeout):
    """Grade one learner with a grader of its own, one part at a time."""
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
        return Graded(folder.name, None, seconds, f"grader error (exit {result.returncode}; see grade.log)")
    if result.returncode not in (0, run.GRADING_FAILED):
        return Graded(folder.name, results, seconds, f"grader error (exit {result.returncode}; see grade.log)")
    return Graded(folder.name, results, seconds, describe_problems(results))


def describe_problems(results):
    """'part 1: syntax error; part 3: no file' from a report's extra_data (run.py), or ''."""
    found = results.get("extra_data", {}).get("problems", {})
    return "; ".join(f"part {part}: {', '.join(kinds)}" for part, kinds in sorted(found.items(), key=lambda i: int(i[0])))


def grading_failed(graded):
    return "grading failure" in graded.problem


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
        for row in sorted(rows, key=lambda row: row.learner):
            if row.results is None:
                writer.writerow([row.learner] + [""] * len(parts) + ["", "", row.problem])
                continue
            totals = points_by_part(row.results)
            writer.writerow([row.learner] + [f"{totals.get(p, (0, 0))[0]:g}" for p in parts]
                            + [f"{row.results['score']:g}", f"{row.results['max_score']:g}", row.problem])


def default_workers(proc=container.PROC):
    """Learners graded at once: no more than the CPUs, nor than fit in memory, each learner's
    grader holding a fork server and one grading process (limits.py's measured figures)."""
    room_mb = container.memory_limit(proc) / 2**20 - limits.HEADROOM_MB
    return max(1, min(container.cpu_count(proc), int(room_mb // (limits.SERVER_MB + limits.PROCESS_MB))))


def fresh_folder(out):
    """Empty `out` for this run. Only a folder an earlier run wrote (MARKER, or its grades.csv)
    is cleared; any other folder that holds files is refused: it may be someone's work."""
    if out.is_dir() and any(out.iterdir()):
        if not ((out / MARKER).exists() or (out / "grades.csv").exists()):
            return f"{out} holds files that grade-batch did not write; choose another --out"
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by `make grade-batch`: its next run clears this folder.\n")
    return None


def show(count, total, graded):
    score = "no score" if graded.results is None else f"{graded.results['score']:g}/{graded.results['max_score']:g}"
    print(f"[{count}/{total}] {graded.learner}: {score} ({graded.seconds:.1f} s)"
          + (f"  ! {graded.problem}" if graded.problem else ""), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=pathlib.Path, help="a folder with one folder per learner")
    parser.add_argument("--jobs", type=int, default=None,
                        help="learners graded at once (default: as many as the CPUs and memory allow)")
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
    refused = fresh_folder(args.out)
    if refused:
        print(f"grade-batch: {refused}", file=sys.stderr)
        return 2
    jobs = max(1, args.jobs or default_workers())
    print(f"Grading {len(learners)} learners from {args.submissions} with {jobs} workers ...", flush=True)
    begin, rows = time.monotonic(), {}
    grade = lambda folder: grade_learner(folder.resolve(), args.out.resolve(), args.part, args.check_timeout)  # noqa: E731
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(grade, folder) for folder in learners]
        for count, future in enumerate(concurrent.futures.as_completed(futures), 1):
            graded = future.result()
            rows[graded.learner] = graded
            show(count, len(learners), graded)
    again = [folder for folder in learners if grading_failed(rows[folder.name])] if jobs > 1 else []
    for count, folder in enumerate(again, 1):  # beside the others it ran out of memory: alone now
        print(f"Grading {folder.name} again, alone (the grader failed beside the others)", flush=True)
        rows[folder.name] = grade(folder)
        show(count, len(again), rows[folder.name])
    parts = sorted({p for row in rows.values() if row.results for p in points_by_part(row.results)})
    write_gradebook(args.out / "grades.csv", rows.values(), parts)
    elapsed = time.monotonic() - begin
    print(f"Graded {len(learners)} learners in {elapsed:.1f} s "
          f"({60 * len(learners) / elapsed:.1f} learners per minute); gradebook: {args.out / 'grades.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
