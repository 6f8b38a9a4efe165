"""`make watch [PART=n]`: grade again on every save, only what changed, TensorFlow imported once.

    python -m autograder.supervise.watch [--part N ...] [--submission exercises] [--store .grade-store]

Runs in the parent, like `make grade` (cli.py), and never imports TensorFlow nor the learner's code:
it holds the fork server (TensorFlow and the checks imported once, warmed while the learner reads
the first results), looks at the learner's files' modification times a few times a second, and
on a save grades that part with the store (reuse.py): only the checks whose code changed run, in
a process forked from the warm server, exactly as `make grade` grades them. It prints the lines
of the checks whose outcome changed and the new total, writes results.json and logs the attempt
(reports/attempts.jsonl). A file that does not compile (a half-typed line) costs one line and
nothing else: the next save is graded. Ctrl-C stops the grading processes and the fork server
and ends with a sentence, not a traceback.
"""

import argparse
import hashlib
import os
import pathlib
import signal
import sys
import textwrap
import threading
import time
from multiprocessing import forkserver

from autograder.checkkit.registry import course_parts
from autograder.feedback import report, terminal
from autograder.intake import choose
from autograder.supervise import child, cli
from autograder.supervise.fork_server import fork_server

POLL_SECONDS = 0.2  # how often the files' modification times are read


class ChangedLines(terminal.Reporter):
    """Prints a check's line only when its outcome differs from the last one shown, with the
    message (or what a pass measured) under it; live lines on a terminal as `make grade` does."""

    def __init__(self, shown, stream=None):
        super().__init__(stream)
        self.shown = shown  # (part, check) -> the result last shown; updated as results come
        self.changed = 0

    def finished(self, part, result):
        before = self.shown.get((part, result["name"]))
        self.shown[(part, result["name"])] = result
        if before is not None and outcome(before) == outcome(result):
            with self.lock:
                if getattr(self.activities.get(part), "name", None) == result["name"]:
                    del self.activities[part]
            return
        self.changed += 1
        super().finished(part, result)
        note = result["message"] if result["status"] != "passed" else report.describe_measured(result.get("measured") or [])
        for line in textwrap.wrap(note, width=96, break_on_hyphens=False, break_long_words=False):
            self.write_line(" " * 13 + line)


def outcome(result):
    return result["status"], result["score"], result.get("message", "")


class Watcher:
    """The files of the parts watched, and what was last graded of each."""

    def __init__(self, args, submission, parts):
        self.args, self.submission, self.parts = args, submission, parts
        self.report_path = pathlib.Path(args.report).resolve()
        self.store = cli.learner_store(args.store, args.submission, None)
        self.jobs = max(1, args.jobs or cli.default_jobs(parts))
        self.latest, self.shown, self.seen = {}, {}, {}  # part -> PartGrading, lines, file's state
        self.reporter = None  # while grading: its live lines are erased on Ctrl-C

    def state(self, part):
        path = choose.find_part_file(self.submission, part)
        try:
            status = path.stat()
            return path, (status.st_mtime_ns, status.st_size, status.st_ino)
        except (AttributeError, OSError):
            return path, None

    def saved(self):
        """The parts whose file changed since last looked at and now compiles; a file that does
        not compile gets its one line, once."""
        ready = []
        for part in self.parts:
            path, status = self.state(part)
            if status is None or status == self.seen.get(part, (None, None))[0]:
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest == self.seen.get(part, (None, None))[1]:
                self.seen[part] = (status, digest)
                continue
            self.seen[part] = (status, digest)
            try:
                compile(data, str(path), "exec", dont_inherit=True)
            except (SyntaxError, ValueError) as error:
                where = f" at line {error.lineno}" if getattr(error, "lineno", None) else ""
                print(f"part {part}: your file has a syntax error{where}: {getattr(error, 'msg', error)}; "
                      "waiting for the next save", flush=True)
                continue
            ready.append(part)
        return ready

    def grade(self, parts):
        """Grade `parts` with the store; print the changed lines and the new total."""
        begin = time.monotonic()
        reporter = self.reporter = ChangedLines(self.shown)
        try:
            gradings = cli.grade(parts, self.submission, self.report_path.parent, self.jobs, None,
                                 reporter, self.store)
        finally:
            reporter.close()
        self.latest.update(gradings)
        ordered = {part: self.latest[part] for part in self.parts if part in self.latest}
        results = cli.write_report(self.report_path, ordered, self.submission, self.jobs,
                                   time.monotonic() - begin)
        cli.log_attempts(self.report_path.parent, gradings, self.submission)
        if not reporter.changed:
            print("  (no check changed)")
        parts = ", ".join(f"part {p}: {report.format_points(sum(r['score'] for r in g.results))}/"
                          f"{report.format_points(sum(r['max_score'] for r in g.results))}" for p, g in ordered.items())
        print(f"Total: {report.format_points(sum(r['score'] for r in results))}/"
              f"{report.format_points(sum(r['max_score'] for r in results))} points"
              + (f" ({parts})" if len(ordered) > 1 else "") + f" ({time.monotonic() - begin:.1f} s)", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.supervise.watch",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", help="part to watch (repeat); default: all")
    parser.add_argument("--submission", default="exercises", help="folder or .py file (default: exercises)")
    parser.add_argument("--report", default="reports/results.json", help="Gradescope results.json path")
    parser.add_argument("--store", default=".grade-store", help="the store of kept outcomes")
    parser.add_argument("--jobs", type=int, default=None, help="parts graded at once")
    args = parser.parse_args(argv)
    if not pathlib.Path(args.submission).exists() or pathlib.Path(args.submission).suffix == ".ipynb":
        print(f"watch: give a folder or a .py file, not {args.submission}", file=sys.stderr)
        return 2
    try:
        submission, parts = choose.choose(args.submission, args.part, course_parts(), None)
    except choose.Refused as refused:
        print(f"watch: {refused}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even where a shell ignored it
    signal.signal(signal.SIGTERM, interrupted)
    fork_server()
    forkserver.ensure_running()  # TensorFlow is imported meanwhile, while the first lines print
    watcher = Watcher(args, submission, parts)
    print(f"Watching {args.submission}, part{'s' if len(parts) > 1 else ''} {', '.join(map(str, parts))}: "
          "each save is graded (Ctrl-C stops)", flush=True)
    try:
        for part in parts:
            watcher.seen[part] = (watcher.state(part)[1], None)
        run_in_thread(watcher.grade, parts)
        while True:
            time.sleep(POLL_SECONDS)
            saved = watcher.saved()
            if saved:
                print(f"[{time.strftime('%H:%M:%S')}] saved: part{'s' if len(saved) > 1 else ''} "
                      f"{', '.join(map(str, saved))}", flush=True)
                run_in_thread(watcher.grade, saved)
    except KeyboardInterrupt:
        stop(watcher.reporter)


def interrupted(signum, frame):
    raise KeyboardInterrupt  # SIGTERM ends it as Ctrl-C does


def run_in_thread(function, *args):
    """Run `function` in a thread and wait for it here, where Ctrl-C arrives at once (a
    KeyboardInterrupt while the thread grades: stop() ends it)."""
    failed = []

    def body():
        try:
            function(*args)
        except BaseException as error:  # a bug in the grader: reported as `make grade` would
            failed.append(error)

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    if failed:
        raise failed[0]


def stop(reporter):
    """Ctrl-C: the grading processes, then the fork server, then this process, with a sentence."""
    child.stop_all()
    if reporter is not None:
        reporter.close()  # the live lines erased, the cursor shown again
    forkserver._forkserver._stop()  # the server exits, and its grading processes die with it
    print("\nStopped watching.", flush=True)
    sys.stderr.flush()
    os._exit(0)  # the grading thread, if any, is not waited for: its processes are gone


if __name__ == "__main__":
    sys.exit(main())
