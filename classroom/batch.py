"""`make grade-batch`: grade a whole class, one folder per learner, several learners at once.

    python -m classroom.batch SUBMISSIONS [--jobs N] [--out DIR] [--part N ...]
    python -m classroom.batch SUBMISSIONS --scheduler tcp://host:8786     (on a Dask cluster)

Each worker is a warm grader (warm_grader.py, local.py): a process that imported the engine once, with a fork
server that imported TensorFlow once, grading learner after learner exactly as `python -m
autograder` grades one (each learner's parts in fresh processes forked from it: the limits,
tamper guard, hidden checks and report of `make grade`), one part at a time. This process never
imports or runs a learner's code. `--cold` grades each learner with a `python -m autograder` of
its own instead, as grade-batch did before (for comparison: `make bench`). With `--scheduler`
the learners are graded by the workers of a Dask cluster (cluster.py), and written here the same.

Each learner gets DIR/<learner>/results.json (and grade.log, what the grader printed); the class
gradebook is DIR/grades.csv, one row per learner, with the points of each part, the total and
what went wrong, if anything ("part 1: syntax error; part 3: no file"; autograder's
feedback/problems.py names the kinds; gradebook.py writes it). Each run starts DIR afresh, so no earlier run's results mix with this one's. A learner
the grader failed (it ran out of memory beside the others) is graded again at the end, alone.
"""

import argparse
import pathlib
import sys
import time

from autograder.checkkit.registry import course_parts
from autograder.supervise.cli import GRADING_FAILED, sandbox_policy
from classroom import progress
from classroom.gradebook import fresh_folder, points_by_part, write_gradebook
from classroom.learner import grader_failures, grading_failed, problem_counts
from classroom.local import ThisMachine


def show(graded, tracker):
    counter, tail = tracker.step(bool(graded.problem))
    score = "no score" if graded.results is None else f"{graded.results['score']:g}/{graded.results['max_score']:g}"
    tracker.print(f"{counter} {graded.learner}: {score} ({graded.seconds:.1f} s)"
                  + (f"  ! {graded.problem}" if graded.problem else "") + f"  | {tail}")


def summary(rows):
    """The last line: how many learners had a problem, of which kinds, and how many the grader
    failed."""
    kinds = problem_counts(rows)
    failed = grader_failures(kinds)
    listed = ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())
    return (f"Learners with a problem: {sum(bool(row.problem) for row in rows)}"
            + (f" ({listed})" if listed else "") + f"; failures of the grader: {failed}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom.batch", description=__doc__.splitlines()[0])
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
    unknown = [p for p in args.part if p not in course_parts()]
    if unknown:
        print(f"grade-batch: no part {unknown[0]}; the course has parts {course_parts()}", file=sys.stderr)
        return 2
    policy, warning = sandbox_policy("require")  # before anyone is graded: one line, not a row each
    if warning:
        print(f"grade-batch: {warning.removeprefix('grade: ')}", file=sys.stderr)
    if policy is None:
        return 2
    if args.scheduler:
        from classroom import cluster  # Dask is imported only for a cluster

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
    begin, tracker, rows = time.monotonic(), progress.BatchProgress(len(learners), failures="with a problem"), {}
    try:
        for graded in grading.graded(learners, out, args.part, args.check_timeout):
            rows[graded.learner] = graded
            show(graded, tracker)
    finally:
        tracker.close()
    again = [folder for folder in learners if grading_failed(rows[folder.name])] if grading.slots() > 1 else []
    if again:  # beside the others it ran out of memory: alone now
        print(f"Grading {len(again)} learner{'s' if len(again) > 1 else ''} again, alone (the grader "
              "failed beside the others)", flush=True)
        tracker = progress.BatchProgress(len(again), failures="with a problem")
        try:
            for graded in grading.graded(again, out, args.part, args.check_timeout, alone=True):
                rows[graded.learner] = graded
                show(graded, tracker)
        finally:
            tracker.close()
    parts = sorted({p for row in rows.values() if row.results for p in points_by_part(row.results)})
    write_gradebook(out / "grades.csv", rows.values(), parts)
    elapsed = time.monotonic() - begin
    print(f"Graded {len(learners)} learners in {elapsed:.1f} s "
          f"({60 * len(learners) / elapsed:.1f} learners per minute); gradebook: {args.out / 'grades.csv'}")
    print(summary(rows.values()))
    # as `make grade` does: a pipeline must notice learners the grader failed (their rows say so)
    return GRADING_FAILED if grader_failures(problem_counts(rows.values())) else 0


if __name__ == "__main__":
    sys.exit(main())
