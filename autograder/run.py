"""`make grade`: grade each part in its own pytest process, merge, print the table, write the report.

A part runs in a child process so that whatever a learner's code does to its process (a hang, a
crash, sys.exit, os._exit, exhausting memory, a flood of output) costs only the check it was
running: the child streams one record per event through a pipe (plugin.py), this parent watches
each check's clock, kills the child's whole process group when a check overruns, zeroes that check
with the reason, and starts a fresh child for the checks that are left. Children are forked from
a server that imported TensorFlow once (warm.py), so a fresh child starts in a fraction of a second.

Exit status: 0 when grading ran, whatever the score; 2 when grading itself could not run.
"""

import argparse
import concurrent.futures
import ctypes
import json
import multiprocessing
import os
import pathlib
import resource
import secrets
import select
import signal
import sys
import tempfile
import time

from autograder import limits, registry, report
from autograder.environment import ROOT


def available_parts():
    """The parts the course grades: those with a checks module."""
    return [p for p in registry.PARTS if (ROOT / "autograder" / "checks" / f"part{p}.py").exists()]


PR_SET_PDEATHSIG = 1


def limit_resources():
    """In the grading process: cap memory, file size (output) and core dumps, and die with the
    fork server, which ends with this parent (a grader stopped by Ctrl-C must not leave a hung
    check running)."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    resource.setrlimit(resource.RLIMIT_AS, (limits.MEMORY_BYTES, limits.MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.OUTPUT_BYTES, limits.OUTPUT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def describe_death(returncode):
    """Why a child process ended, in a learner's words."""
    if returncode is None:
        return "it ran past its time limit and was stopped"
    if returncode < 0:
        signal_number = -returncode
        if signal_number == signal.SIGXFSZ:
            return f"it wrote more than {limits.OUTPUT_BYTES // 2**20} MB of output or files"
        if signal_number == signal.SIGKILL:
            return "the process was killed (out of memory, or a time limit)"
        if signal_number == signal.SIGSEGV:
            return "the process crashed (segmentation fault)"
        return f"the process was killed by {signal.Signals(signal_number).name}"
    return f"the process exited early with status {returncode} (sys.exit or os._exit?)"


def grading_process(part, submission, skip, check_timeout, nonce, writer, log_path):
    """The body of a grading process, forked from the fork server: its own session (so the parent
    can kill it and whatever it starts at once), the limits, output into the part's log, then
    pytest with the grading plugin."""
    os.setsid()
    limit_resources()
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    keep_only_descriptors(0, 1, 2, writer.fileno())
    os.chdir(tempfile.gettempdir())
    os.environ["AUTOGRADER_NONCE"] = nonce  # the plugin takes it out before any learner code runs
    multiprocessing.current_process()._args = ()  # nor is it left in the process object
    command = [
        str(ROOT / "autograder" / "test_checks.py"),
        "-p", "autograder.plugin", "-p", "no:cacheprovider", "-q", "--show-capture=no",
        "--tb=no", "-c", str(ROOT / "autograder" / "pytest.ini"), "--rootdir", str(ROOT),
        "--part", str(part), "--submission", str(submission), "--results-fd", str(writer.fileno()),
    ]
    for name in sorted(skip):
        command += ["--skip-check", name]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    import pytest

    sys.exit(pytest.main(command))


def keep_only_descriptors(*keep):
    """Close every other file descriptor: the fork server's keep-alive pipe and the resource
    tracker's pipe are open in a forked process, and a learner's code that wrote into them could
    kill the server (and every part with it) or make it report a wrong exit status."""
    for fd in map(int, os.listdir("/proc/self/fd")):
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, already closed
    from multiprocessing import forkserver, process, resource_tracker

    forkserver._forkserver._forkserver_alive_fd = None
    resource_tracker._resource_tracker._fd = None  # a learner's multiprocessing starts its own
    process._parent_process = None  # its sentinel was one of them
    sys.stdin = open(os.devnull)


def fork_server():
    """The multiprocessing context whose server has TensorFlow and the checks imported (warm.py)."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # the server's stderr is the learner's terminal
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.warm"])
    return context


class Child:
    """One grading process for some of a part's checks, watched check by check."""

    def __init__(self, part, submission, skip, log_path, check_timeout):
        self.nonce = secrets.token_hex(16)
        context = fork_server()
        reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=grading_process, name=f"grade-part{part}",
            args=(part, submission, sorted(skip), check_timeout, self.nonce, writer, log_path))
        self.process.start()
        writer.close()
        self.stream = os.fdopen(os.dup(reader.fileno()), "rb")
        reader.close()
        self.check_timeout = check_timeout

    def records(self, timeouts, part_deadline):
        """Yield records until the child ends; stop it if a check or the part overruns.

        The end is the "finished" record or the child's exit, not the pipe's end of file:
        processes a learner forked may hold the pipe open long after.
        """
        buffer, deadline = b"", part_deadline
        while True:
            ready, _, _ = select.select([self.stream], [], [], limits.POLL_SECONDS)
            if not ready:
                if self.process.exitcode is not None:
                    return  # exited, and everything it wrote has been read
                if time.monotonic() > deadline:
                    self.kill()
                    yield {"event": "killed"}
                    return
                continue
            chunk = os.read(self.stream.fileno(), 65536)
            if not chunk:
                self.process.join()
                return
            *lines, buffer = (buffer + chunk).split(b"\n")
            for record in filter(None, map(self.parse, lines)):
                seconds = None
                if record["event"] == "started":
                    seconds = min(timeouts.get(record["name"], 60), self.check_timeout or 1e9)
                elif record["event"] == "importing":
                    seconds = min(limits.IMPORT_SECONDS, self.check_timeout or 1e9)
                deadline = part_deadline if seconds is None else min(
                    part_deadline, time.monotonic() + seconds + limits.GRACE_SECONDS)
                yield record
                if record["event"] == "finished":
                    return  # every result is in; close() ends the process (pytest's summary and
                    # TensorFlow's teardown would cost another half second)

    def parse(self, line):
        """A record this child's plugin sent, or None (a learner writing to the pipe)."""
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict) or record.pop("nonce", None) != self.nonce:
            return None
        return record if isinstance(record.get("event"), str) else None

    def kill(self):
        self.kill_group()  # the child and anything it started
        self.process.join()

    def close(self):
        self.stream.close()
        self.kill_group()  # leftovers: a learner's forks

    def kill_group(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # gone, or not yet its own group's leader
            if self.process.exitcode is None:
                self.process.kill()


def grade_part(part, submission, workdir, reports_dir, check_timeout=None):
    """Grade one part, restarting the child after a crash.

    Returns (results, problem or None, stats): stats holds the part's wall time, how many
    processes graded it and the largest peak resident memory among them (for `make bench`).
    """
    begin = time.monotonic()
    stats = {"part": part, "processes": 0, "peak_rss_mb": 0.0}

    def done(results, problem=None):
        stats["seconds"] = round(time.monotonic() - begin, 2)
        return results, problem, stats

    timeouts = {}  # check name -> seconds, from the child's list (this process never imports TF)
    part_deadline = time.monotonic() + limits.PART_SECONDS
    log_path = workdir / f"part{part}.log"
    os.environ["AUTOGRADER_REPORTS_DIR"] = str(reports_dir)
    collected, finished = None, {}
    while True:
        child = Child(part, submission, set(finished), log_path, check_timeout)
        stats["processes"] += 1
        running, importing, killed = None, False, False
        try:
            for record in child.records(timeouts, part_deadline):
                event = record["event"]
                if event == "collected" and collected is None:
                    collected = record["checks"]
                    timeouts.update((c["name"], c["timeout"]) for c in collected)
                elif event == "importing":
                    importing = True
                elif event == "imported":
                    importing = False
                elif event == "started":
                    running = record["name"]
                elif event == "result" and valid(record, timeouts):
                    finished[record["name"]] = {k: v for k, v in record.items() if k != "event"}
                    running = None
                elif event == "killed":
                    killed = True
                elif event == "finished":
                    stats["peak_rss_mb"] = max(stats["peak_rss_mb"], record["peak_rss_mb"])
        finally:
            child.close()
        returncode = None if killed else child.process.exitcode
        if collected is None:
            return done([], f"part {part}: the grader could not start (exit {returncode}):\n{tail(log_path)}")
        left = [c for c in collected if c["name"] not in finished]
        if not left:
            return done([finished[c["name"]] for c in collected])
        cause = describe_death(returncode)
        if killed and time.monotonic() >= part_deadline:
            cause = f"part {part} ran past its {limits.PART_SECONDS} s limit"
        if running is not None and not importing and time.monotonic() < part_deadline:
            check = next(c for c in collected if c["name"] == running)
            if killed:
                cause = f"timed out after {min(timeouts[running], check_timeout or 1e9):g} s"
            finished[running] = dict(check, message=f"part {part}, {check['exercise']}: {cause} while running this check.")
            continue  # a fresh child for the checks that are left
        where = "while importing your file" if importing else "before this check ran"
        for check in left:
            finished[check["name"]] = dict(check, message=f"part {part}, {check['exercise']}: {cause} {where}.")
        return done([finished[c["name"]] for c in collected])


def valid(record, timeouts):
    """A result the plugin could have sent: a known check, all or nothing of its points."""
    return (record.get("name") in timeouts and record.get("status") in report.STATUS_LABEL
            and record.get("score") in (0, record.get("max_score")))


def tail(path):
    data = path.read_bytes()[-4000:] if path.exists() else b""
    return data.decode(errors="replace")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", help="part to grade (repeat); default: all")
    parser.add_argument("--submission", default="exercises", help="folder or file (default: exercises)")
    parser.add_argument("--report", default="reports/results.json", help="Gradescope results.json path")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="parts graded at once")
    parser.add_argument("--check-timeout", type=float, default=None, help=argparse.SUPPRESS)
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
    report_path = pathlib.Path(args.report).resolve()
    with tempfile.TemporaryDirectory(prefix="grade-") as workdir, \
            concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        # Later parts train more: start them first, so that the shortest fills in at the end.
        futures = {part: pool.submit(grade_part, part, submission, pathlib.Path(workdir),
                                     report_path.parent, args.check_timeout)
                   for part in sorted(parts, reverse=True)}
        outcomes = [futures[part].result() for part in parts]
    results = [r for part_results, _, _ in outcomes for r in part_results]
    problems = [problem for _, problem, _ in outcomes if problem]
    report.write_results(report_path, results, time.monotonic() - begin,
                         extra_data={"parts": [stats for _, _, stats in outcomes]})
    print()
    print(report.format_table(results))
    print(f"Report: {args.report} ({time.monotonic() - begin:.1f} s)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    return 0
