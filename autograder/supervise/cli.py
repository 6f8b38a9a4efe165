"""`make grade` (`python -m autograder`): grade each part in a process of its own, merge, print the
table, write the report.

Runs in the parent, which never imports TensorFlow nor runs a learner's code. A part runs in a
grading process (execute/process.py) so that whatever a learner's code does to its process (a
hang, a crash, sys.exit, os._exit, exhausting memory, a flood of output) costs only the check it
was running: the grading process streams one record per event through a pipe, the parent
(child.py) watches each check's clock, kills the process group when a check overruns, zeroes that
check with the reason, and starts a fresh process for the checks that are left (part_grading.py).
Grading processes are forked from a server that imported TensorFlow once (fork_server.py).

What the learner's code prints goes through a pipe to the parent, which keeps the first megabyte
of each part beside the report and counts the rest: printing never costs a check. Each check has
its own time budget (checkkit/budgets.py). While parts are graded, a reporter
(feedback/terminal.py) hears every check start, say what it is doing and finish: `make grade`
prints each check's line as it finishes, and on a terminal a live line for a check that takes a
while. A process the machinery lost (the kernel's out-of-memory killer, a dead fork server) is
not the learner's doing: its checks are graded again once the other parts are done, alone; a
check lost a second time is a grading failure, reported as such.

With `--store DIR` (the learner's own loop: `make grade`, `make watch`), a check whose code did
not change since it was last graded keeps its outcome (reuse.py, store.py): its line says
"(kept)", results.json marks it "cached", and only the other checks are graded; each grading is
logged in the report's folder (attempts.jsonl). The paths that record grades never pass it.

Exit status: 0 when grading ran, whatever the score; 2 when grading itself could not run;
3 when some check could not be graded (a grading failure: the grader ran out of memory).
"""

import argparse
import concurrent.futures
import os
import pathlib
import sys
import tempfile
import time

from autograder.checkkit import limits
from autograder.checkkit.registry import course_parts
from autograder.execute import sandbox
from autograder.feedback import attempts, problems, report, terminal
from autograder.intake import choose
from autograder.supervise import container, reuse, store
from autograder.supervise.part_grading import PartGrading, size

GRADING_FAILED = 3  # the exit status when some check could not be graded


def default_jobs(parts, proc=container.PROC):
    """How many parts to grade at once: no more than the CPUs this process may use, nor than fit
    in its memory beside the fork server (checkkit/limits.py holds the measured figures)."""
    room_mb = container.memory_limit(proc) / 2**20 - limits.SERVER_MB - limits.HEADROOM_MB
    return max(1, min(len(parts), container.cpu_count(proc), int(room_mb // limits.PROCESS_MB)))


def sandbox_policy(asked, environ=os.environ):
    """(the policy grading runs under, a line to print first or None); the policy is None when
    grading must not run: the class paths ask for "require", and a machine without the sandbox
    would run every learner's code with the instructor's permissions (UNSANDBOXED=1 says go on)."""
    if asked == "off":
        return "off", None
    holds, why = sandbox.available()
    if holds:
        return asked, None
    if asked == "require" and environ.get("UNSANDBOXED") != "1":
        return None, (f"grade: no operating-system sandbox here ({why}), so a class is not graded: "
                      "each learner's code would run with your permissions. UNSANDBOXED=1 grades anyway.")
    return "warn", f"grade: grading without an operating-system sandbox ({why}): the code runs with your permissions"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", help="part to grade (repeat); default: all")
    parser.add_argument("--submission", default="exercises", help="folder or file (default: exercises)")
    parser.add_argument("--report", default="reports/results.json", help="Gradescope results.json path")
    parser.add_argument("--jobs", type=int, default=None,
                        help="parts graded at once (default: as many as the CPUs and memory allow)")
    parser.add_argument("--sandbox", choices=("require", "warn", "off"), default="warn",
                        help="require: refuse to grade where the operating-system sandbox cannot hold "
                        "(the class paths; UNSANDBOXED=1 grades anyway); warn (default): grade and say "
                        "so; off: no sandbox (make bench's comparison)")
    parser.add_argument("--store", default=None,
                        help="the learner's own loop: reuse the outcomes kept in this folder for "
                        "checks whose code did not change, keep the new ones, and log each attempt "
                        "in the report's folder (attempts.jsonl); never for grades that count")
    parser.add_argument("--fresh", action="store_true", help="with --store: reuse nothing, grade "
                        "every check, and keep the new outcomes")
    parser.add_argument("--check-timeout", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not pathlib.Path(args.submission).exists():
        print(f"grade: no such submission: {args.submission}", file=sys.stderr)
        return 2
    unknown = [p for p in args.part or [] if p not in course_parts()]
    if unknown:
        print(f"grade: no part {unknown[0]}; the course has parts {course_parts()}", file=sys.stderr)
        return 2
    policy, warning = sandbox_policy(args.sandbox)
    if warning:
        print(warning, file=sys.stderr)
    if policy is None:
        return 2
    scratch = tempfile.TemporaryDirectory(prefix="grade-notebook-")  # a notebook's file, if any
    try:
        submission, parts = choose.choose(args.submission, args.part, course_parts(),
                                                    scratch.name)
    except choose.Refused as refused:
        print(f"grade: {refused}", file=sys.stderr)
        return 2

    print(f"Grading {args.submission}, part{'s' if len(parts) > 1 else ''} "
          + ", ".join(map(str, parts)) + " ...", flush=True)
    begin = time.monotonic()
    report_path = pathlib.Path(args.report).resolve()
    report_path.parent.mkdir(parents=True, exist_ok=True)
    jobs = max(1, args.jobs or default_jobs(parts))
    reporter = terminal.reporter_for(sys.stdout)  # each check's line as it finishes
    kept = learner_store(args.store, args.submission, args.check_timeout)
    try:
        gradings = grade(parts, submission, report_path.parent, jobs, args.check_timeout, reporter,
                         kept, args.fresh, policy)
    finally:
        reporter.close()  # the live lines, if any, give way to the table (or to Ctrl-C's message)
    results = write_report(report_path, gradings, submission, jobs, time.monotonic() - begin)
    if args.store:
        log_attempts(report_path.parent, gradings, submission)
    print()
    print(report.format_table(results))
    for part in parts:  # what running a notebook's cells cost
        for note in gradings[part].notes:
            print(f"Note on part {part}: {note}")
    print(f"Report: {args.report} ({time.monotonic() - begin:.1f} s)")
    for part in parts:
        dropped = gradings[part].output.dropped
        if dropped:
            print(f"Your code printed {size(dropped + gradings[part].output.kept)} while part {part} was "
                  f"graded: the first {size(gradings[part].output.kept)} are in "
                  f"{pathlib.Path(args.report).parent / gradings[part].output.path.name}")
    failures = [r for r in results if r["status"] == "grading failure"]
    causes = sorted({grading.failure for grading in gradings.values() if grading.failure})
    start_problems = [gradings[part].problem for part in parts if gradings[part].problem]
    if start_problems:
        print("\n".join(start_problems), file=sys.stderr)
        return 2
    if failures:
        print(f"grade: {len(failures)} check{'s' if len(failures) > 1 else ''} could not be graded "
              f"({'; '.join(causes)}): a grading failure, not the learner's; give the grader more memory, or grade one part "
              "at a time (make grade JOBS=1, or --jobs 1)", file=sys.stderr)
        return GRADING_FAILED
    return 0


def learner_store(folder, submission, check_timeout):
    """The store of kept outcomes asked for with --store, or None: none asked, a notebook, or a
    store inside the submitted folder (what came with a submission is never read)."""
    if folder is None or pathlib.Path(submission).suffix == ".ipynb":
        return None  # a notebook is graded as a file made afresh each time: nothing to reuse
    folder, submitted = pathlib.Path(folder).resolve(), pathlib.Path(submission).resolve()
    submitted = submitted if submitted.is_dir() else submitted.parent
    if folder == submitted or submitted in folder.parents:
        print(f"grade: not using {folder}: it is inside the submission", file=sys.stderr)
        return None
    return store.Store(folder, store.fingerprint(check_timeout))


def grade(parts, submission, reports_dir, jobs, check_timeout, reporter, kept=None, fresh=False, policy="warn"):
    """{part: PartGrading}, every part graded side by side, `jobs` at a time, each grading process
    under the sandbox `policy` (sandbox_policy). With a store (`kept`), a check whose key has a
    kept outcome is not graded again (reuse.py), and the new outcomes are kept."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    gradings = {part: PartGrading(part, submission, reports_dir, check_timeout, reporter, policy) for part in parts}
    plans = {}
    if kept is not None:
        for part in parts:
            path = choose.find_part_file(submission, part)
            if path is not None:
                plans[part] = reuse.plan(kept, part, path, reports_dir, fresh)
                if plans[part].kept:
                    gradings[part].reuse(plans[part].checks, plans[part].kept)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        # Later parts train more: start them first, so that the shortest fills in at the end.
        list(pool.map(lambda grading: grading.grade(alone=jobs == 1),
                      [gradings[part] for part in sorted(parts, reverse=True)]))
    for part in parts:  # what the machinery lost beside other parts, graded again, alone
        if gradings[part].deferred:
            gradings[part].grade(alone=True)
    for part, made in plans.items():  # a file that no longer imports fails every check
        if made.kept and reuse.import_failed(gradings[part].results):
            gradings[part].forget_kept()
            gradings[part].grade(alone=True)
    for part, made in plans.items():
        reuse.record(kept, made, gradings[part].collected, gradings[part].results)
    for grading in gradings.values():
        grading.output.close()
    return gradings


def write_report(report_path, gradings, submission, jobs, seconds):
    """Write results.json for the parts graded; return their results, in order."""
    parts = list(gradings)
    results = [r for part in parts for r in gradings[part].results]
    extra = {"parts": [gradings[part].stats for part in parts], "jobs": jobs,
             "cpus": container.cpu_count(), "memory_limit_mb": round(container.memory_limit() / 2**20),
             "problems": problems.by_part(results, notebook_only=lambda part: choose.find_part_notebook(submission, part)),
             "sandbox": "; ".join(sorted({g.stats["sandbox"] for g in gradings.values() if g.stats["sandbox"]}))
             or "none (no grading process ran)",
             "notes": {part: gradings[part].notes for part in parts if gradings[part].notes}}
    report.write_results(report_path, results, seconds, extra_data=extra)
    return results


def log_attempts(reports_dir, gradings, submission):
    """One line per part graded in the learner's attempt log (feedback/attempts.py)."""
    when = attempts.now()
    for part, grading in gradings.items():
        path = choose.find_part_file(submission, part)
        attempts.append(reports_dir, attempts.grade_record(part, path and reuse.file_digest(path),
                                                           grading.results, when))
