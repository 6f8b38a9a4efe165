"""`make grade-batch`: grade a whole class, one folder per learner, several learners at once.

    python -m autograder.batch SUBMISSIONS [--jobs N] [--out DIR] [--part N ...]
    python -m autograder.batch SUBMISSIONS --scheduler tcp://host:8786     (on a Dask cluster)

Each worker is a warm grader (worker.py): a process that imported the engine once, with a fork
server that imported TensorFlow once, grading learner after learner exactly as `python -m
autograder` grades one (each learner's parts in fresh processes forked from it: the limits,
tamper guard, hidden checks and report of `make grade`), one part at a time. This process never
imports or runs a learner's code. `--cold` grades each learner with a `python -m autograder` of
its own instead, as grade-batch did before (for comparison: `make bench`). With `--scheduler`
the learners are graded by the workers of a Dask cluster (cluster.py), and written here the same.

Each learner gets DIR/<learner>/results.json (and grade.log, what the grader printed); the class
gradebook is DIR/grades.csv, one row per learner, with the points of each part, the total and
what went wrong, if anything ("part 1: syntax error; part 3: no file"; problems.py names the
kinds). Each run starts DIR afresh, so no earlier run's results mix with this one's. A learner
the grader failed (it ran out of memory beside the others) is graded again at the end, alone.
"""

import argparse
import collections
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

from autograder import batch_progress, container, limits, run, worker
from autograder.environment import ROOT

MARKER = ".grade-batch"  # in every folder a run wrote: only such a folder is cleared by the next


@dataclasses.dataclass
class Graded:
    learner: str
    results: dict | None  # the learner's results.json, None when the grader wrote none
    seconds: float
    problem: str  # "" when nothing went wrong


def engine_arguments(submission, report, parts, check_timeout):
    """The arguments of `python -m autograder` for one learner: one part at a time."""
    argv = ["--submission", str(submission), "--report", str(report), "--jobs", "1"]
    for part in parts:
        argv += ["--part", str(part)]
    if check_timeout:
        argv += ["--check-timeout", str(check_timeout)]
    return argv


def learner_timeout(parts):
    """How long one learner may take before the worker grading it is stopped: a safety net for
    a stuck grader (the engine stops a part at PART_SECONDS, and may grade it again alone)."""
    return 2 * limits.PART_SECONDS * max(1, len(parts or run.available_parts())) + 120


def read_report(learner, report, status, output, seconds):
    """The Graded of a learner whose grader exited with `status`, having printed `output` (kept
    beside the report as grade.log)."""
    (report.parent / "grade.log").write_text(output)
    try:
        results = json.loads(report.read_text())
    except (OSError, ValueError):
        return Graded(learner, None, seconds, f"grader error (exit {status}; see grade.log)")
    if status not in (0, run.GRADING_FAILED):
        return Graded(learner, results, seconds, f"grader error (exit {status}; see grade.log)")
    return Graded(learner, results, seconds, describe_problems(results))


def not_graded(learner, report, why, seconds=0.0):
    """The Graded of a learner whose grading the machinery lost for good (`why`)."""
    report.parent.mkdir(parents=True, exist_ok=True)
    (report.parent / "grade.log").write_text(f"not graded: {why}\n")
    return Graded(learner, None, seconds, f"grading failure ({why})")


def grade_warm(grader, folder, out, parts, check_timeout):
    """Grade one learner with a warm grader (worker.py)."""
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    begin = time.monotonic()
    try:
        answer = grader.grade(engine_arguments(folder, report, parts, check_timeout), learner_timeout(parts))
    except worker.GraderDied as died:
        return not_graded(folder.name, report, str(died), time.monotonic() - begin)
    return read_report(folder.name, report, answer["status"], answer["output"], time.monotonic() - begin)


def grade_cold(folder, out, parts, check_timeout):
    """Grade one learner with a `python -m autograder` of its own (grade-batch before warm graders)."""
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    begin = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "autograder", *engine_arguments(folder, report, parts, check_timeout)],
                            cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return read_report(folder.name, report, result.returncode, result.stdout + result.stderr, time.monotonic() - begin)


class ThisMachine:
    """Grading on this machine, `jobs` learners at a time: warm graders, or one `python -m
    autograder` per learner (`cold`). cluster.Cluster grades on a Dask cluster the same way."""

    def __init__(self, jobs, cold):
        self.jobs, self.cold = max(1, jobs or default_workers()), cold

    def slots(self):
        return self.jobs

    def describe(self):
        return f"with {self.jobs} {'cold' if self.cold else 'warm'} worker{'s' if self.jobs > 1 else ''}"

    def graded(self, folders, out, parts, check_timeout, alone=False):
        """Yield each learner's Graded as it finishes; `alone`: one at a time."""
        jobs = 1 if alone else self.jobs
        if not self.cold:
            yield from worker.grade_each(
                folders, jobs, lambda grader, folder: grade_warm(grader, folder, out, parts, check_timeout))
            return
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = [pool.submit(grade_cold, folder, out, parts, check_timeout) for folder in folders]
            for future in concurrent.futures.as_completed(futures):
                yield future.result()

    def close(self):
        pass


def describe_problems(results):
    """'part 1: syntax error; part 3: no file' from a report's extra_data (run.py), or ''."""
    found = results.get("extra_data", {}).get("problems", {})
    return "; ".join(f"part {part}: {', '.join(kinds)}" for part, kinds in sorted(found.items(), key=lambda i: int(i[0])))


def grading_failed(graded):
    """Did the grader fail some check of this learner's (out of memory beside the others)? Then
    the learner is graded again, alone. A learner it could not grade at all is not: its grading
    lost the grader's process twice already."""
    return graded.results is not None and "grading failure" in graded.problem


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


def show(graded, tracker):
    counter, tail = tracker.step(bool(graded.problem))
    score = "no score" if graded.results is None else f"{graded.results['score']:g}/{graded.results['max_score']:g}"
    print(f"{counter} {graded.learner}: {score} ({graded.seconds:.1f} s)"
          + (f"  ! {graded.problem}" if graded.problem else "") + f"  | {tail}", flush=True)


def problem_kinds(problem):
    """['syntax error', 'no file'] from 'part 1: syntax error; part 3: no file', and
    ['grader error'] from 'grader error (exit 1; see grade.log)'."""
    if not problem.startswith("part "):
        return [problem.split(" (")[0]]
    return [kind for entry in problem.split("; ") for kind in entry.split(": ", 1)[1].split(", ")]


def problem_counts(rows):
    """How often each kind of problem occurred among `rows`."""
    return collections.Counter(kind for row in rows if row.problem for kind in problem_kinds(row.problem))


def grader_failures(kinds):
    """Of `kinds` (problem_counts), how many were the grader failing (wholly or in part: the
    machinery's fault, never the learner's)."""
    return kinds["grading failure"] + kinds["grader error"]


def summary(rows):
    """The last line: how many learners had a problem, of which kinds, and how many the grader
    failed."""
    kinds = problem_counts(rows)
    failed = grader_failures(kinds)
    listed = ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())
    return (f"Learners with a problem: {sum(bool(row.problem) for row in rows)}"
            + (f" ({listed})" if listed else "") + f"; failures of the grader: {failed}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.batch", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=pathlib.Path, help="a folder with one folder per learner")
    parser.add_argument("--jobs", type=int, default=None,
                        help="learners graded at once (default: as many as the CPUs and memory allow; "
                        "on a cluster, one per worker thread)")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("reports/batch"))
    parser.add_argument("--part", type=int, action="append", default=[], help="part to grade (repeat)")
    parser.add_argument("--scheduler", help="grade on a Dask cluster: its scheduler's address (tcp://host:8786)")
    parser.add_argument("--cold", action="store_true",
                        help="one `python -m autograder` per learner, no warm graders (for comparison)")
    parser.add_argument("--check-timeout", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not args.submissions.is_dir():
        print(f"grade-batch: no such folder: {args.submissions}", file=sys.stderr)
        return 2
    learners = sorted(p.resolve() for p in args.submissions.iterdir() if p.is_dir())
    if not learners:
        print(f"grade-batch: {args.submissions} holds no learner folders", file=sys.stderr)
        return 2
    unknown = [p for p in args.part if p not in run.available_parts()]
    if unknown:
        print(f"grade-batch: no part {unknown[0]}; the course has parts {run.available_parts()}", file=sys.stderr)
        return 2
    if args.scheduler:
        from autograder import cluster

        try:
            grading = cluster.Cluster(args.scheduler)
        except cluster.ClusterError as error:
            print(f"grade-batch: {error}", file=sys.stderr)
            return 2
    else:
        grading = ThisMachine(args.jobs, args.cold)
    try:
        return grade_class(grading, learners, args)
    finally:
        grading.close()


def grade_class(grading, learners, args):
    """Grade `learners` with `grading` (ThisMachine or cluster.Cluster): progress, the learners
    the grader failed again alone, the gradebook, the summary."""
    refused = fresh_folder(args.out)
    if refused:
        print(f"grade-batch: {refused}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    print(f"Grading {len(learners)} learners from {args.submissions} {grading.describe()} ...", flush=True)
    begin, tracker, rows = time.monotonic(), batch_progress.Progress(len(learners), failures="with a problem"), {}
    for graded in grading.graded(learners, out, args.part, args.check_timeout):
        rows[graded.learner] = graded
        show(graded, tracker)
    again = [folder for folder in learners if grading_failed(rows[folder.name])] if grading.slots() > 1 else []
    if again:  # beside the others it ran out of memory: alone now
        print(f"Grading {len(again)} learner{'s' if len(again) > 1 else ''} again, alone (the grader "
              "failed beside the others)", flush=True)
        tracker = batch_progress.Progress(len(again), failures="with a problem")
        for graded in grading.graded(again, out, args.part, args.check_timeout, alone=True):
            rows[graded.learner] = graded
            show(graded, tracker)
    parts = sorted({p for row in rows.values() if row.results for p in points_by_part(row.results)})
    write_gradebook(out / "grades.csv", rows.values(), parts)
    elapsed = time.monotonic() - begin
    print(f"Graded {len(learners)} learners in {elapsed:.1f} s "
          f"({60 * len(learners) / elapsed:.1f} learners per minute); gradebook: {args.out / 'grades.csv'}")
    print(summary(rows.values()))
    # as `make grade` does: a pipeline must notice learners the grader failed (their rows say so)
    return run.GRADING_FAILED if grader_failures(problem_counts(rows.values())) else 0


if __name__ == "__main__":
    sys.exit(main())
