"""`make grade`: grade each part in its own pytest process, merge, print the table, write the report.

A part runs in a child process so that whatever a learner's code does to its process (a hang, a
crash, sys.exit, os._exit, exhausting memory, a flood of output) costs only the check it was
running: the child streams one record per event through a pipe (plugin.py), this parent watches
each check's clock, kills the child's whole process group when a check overruns, zeroes that check
with the reason, and starts a fresh child for the checks that are left. Children are forked from
a server that imported TensorFlow once (warm.py), so a fresh child starts in a fraction of a second.

What the learner's code prints goes through a pipe to this parent, which keeps the first
megabyte of each part beside the report and counts the rest: printing never costs a check.
Each check has its own time budget (budgets.py). While parts are graded, a reporter
(progress.py) hears every check start, say what it is doing and finish: `make grade` prints each
check's line as it finishes, and on a terminal a live line for a check that takes a while.
A child that the machinery lost (the kernel's out-of-memory killer, a dead fork server) is not
the learner's doing: its checks are graded again once the other parts are done, alone; a check
lost a second time is a grading failure, reported as such.

Exit status: 0 when grading ran, whatever the score; 2 when grading itself could not run;
3 when some check could not be graded (a grading failure: the grader ran out of memory).
"""

import argparse
import concurrent.futures
import ctypes
import dataclasses
import json
import math
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
from multiprocessing import forkserver

from autograder import budgets, container, hints, limits, problems, progress, registry, report
from autograder import submission as submission_files
from autograder.environment import ROOT

GRADING_FAILED = 3  # the exit status when some check could not be graded
CHILD_STATUSES = {"passed", "failed", "not attempted", "error"}  # what a grading process may report


def available_parts():
    """The parts the course grades: those with a checks module."""
    return [p for p in registry.PARTS if (ROOT / "autograder" / "checks" / f"part{p}.py").exists()]


def default_jobs(parts, proc=container.PROC):
    """How many parts to grade at once: no more than the CPUs this process may use, nor than fit
    in its memory beside the fork server (limits.py holds the measured figures)."""
    room_mb = container.memory_limit(proc) / 2**20 - limits.SERVER_MB - limits.HEADROOM_MB
    return max(1, min(len(parts), container.cpu_count(proc), int(room_mb // limits.PROCESS_MB)))


PR_SET_PDEATHSIG = 1


def limit_resources():
    """In the grading process: cap memory, file size and core dumps; die with the fork server,
    which ends with this parent (a grader stopped by Ctrl-C must not leave a hung check running);
    and be the process the kernel's out-of-memory killer ends first."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    resource.setrlimit(resource.RLIMIT_AS, (limits.MEMORY_BYTES, limits.MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.FILE_BYTES, limits.FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file past the cap: OSError (EFBIG), not death
    try:  # otherwise the killer picks the fork server, the largest, and every part dies with it
        pathlib.Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass


def describe_death(returncode):
    """Why a child process ended, in a learner's words (when the machinery did not end it)."""
    if returncode is None:
        return "it ran past its time limit and was stopped"
    if returncode < 0:
        signal_number = -returncode
        if signal_number == signal.SIGXFSZ:
            return f"it wrote a file larger than {limits.FILE_BYTES // 2**20} MB"
        if signal_number == signal.SIGKILL:
            return "the process was killed (SIGKILL)"
        if signal_number == signal.SIGSEGV:
            return "the process crashed (segmentation fault)"
        return f"the process was killed by {signal.Signals(signal_number).name}"
    return f"the process exited early with status {returncode} (sys.exit or os._exit?)"


@dataclasses.dataclass(frozen=True)
class Lost:
    """Why the machinery, not the learner's code, ended a grading process. `certain` is False for
    a SIGKILL on a machine that does not count out-of-memory kills: it may be either."""

    cause: str
    certain: bool = True


def ran_out_of_memory():
    return Lost(f"the grader ran out of memory (limit {container.memory_limit() / 2**20:.0f} MB)")


def grading_process(part, submission, skip, check_timeout, nonce, writer, printer, reports_dir):
    """The body of a grading process, forked from the fork server: its own session (so the parent
    can kill it and whatever it starts at once), the limits, stdout and stderr into the parent's
    output pipe, then pytest with the grading plugin."""
    os.setsid()
    limit_resources()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(printer.fileno(), 1)
    os.dup2(printer.fileno(), 2)
    printer.close()
    keep_only_descriptors(0, 1, 2, writer.fileno())
    os.chdir(tempfile.gettempdir())
    os.environ["AUTOGRADER_NONCE"] = nonce  # the plugin takes it out before any learner code runs
    # Here, not in the parent: the fork server keeps the environment it started with, and a warm
    # grader (worker.py) keeps its fork server from one learner's report folder to the next.
    os.environ["AUTOGRADER_REPORTS_DIR"] = reports_dir
    multiprocessing.current_process()._args = ()  # nor is it left in the process object
    command = [  # -s: output goes straight to the pipe (pytest's capture files would hit the file cap)
        str(ROOT / "autograder" / "test_checks.py"),
        "-p", "autograder.plugin", "-p", "no:cacheprovider", "-p", "no:terminal", "-s",
        "-c", str(ROOT / "autograder" / "pytest.ini"), "--rootdir", str(ROOT),
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

    def __init__(self, part, submission, skip, output, check_timeout, reports_dir):
        self.nonce = secrets.token_hex(16)
        self.output = output
        self.oom_kills = container.oom_kills()
        context = fork_server()
        reader, writer = context.Pipe(duplex=False)
        printed, printer = context.Pipe(duplex=False)  # the child's stdout and stderr
        self.process = context.Process(
            target=grading_process, name=f"grade-part{part}",
            args=(part, submission, sorted(skip), check_timeout, self.nonce, writer, printer, str(reports_dir)))
        try:
            self.process.start()  # EOFError or OSError when the fork server died starting
        finally:
            writer.close()
            printer.close()
        self.server_pid = forkserver._forkserver._forkserver_pid
        self.stream = os.fdopen(os.dup(reader.fileno()), "rb")
        self.printed = os.dup(printed.fileno())
        reader.close()
        printed.close()
        self.watched = [self.stream, self.printed]
        self.check_timeout = check_timeout

    def records(self, timeouts, part_deadline):
        """Yield records until the child ends; stop it if a check or the part overruns. Its
        output is copied to the part's log meanwhile.

        The end is the "finished" record or the child's exit, not the pipe's end of file:
        processes a learner forked may hold the pipe open long after.
        """
        buffer, deadline, ended = b"", part_deadline, False
        while True:
            ready, _, _ = select.select(self.watched, [], [], 0 if ended else limits.POLL_SECONDS)
            if self.printed in ready:
                self.copy_output()
            if time.monotonic() > deadline:
                self.kill()
                yield {"event": "killed"}
                return
            if self.stream in ready:
                chunk = os.read(self.stream.fileno(), 65536)
                if not chunk:  # closed: its exit (or the deadline) comes next
                    self.watched.remove(self.stream)
                *lines, buffer = (buffer + chunk).split(b"\n")
                for record in filter(None, map(self.parse, lines)):
                    seconds = None
                    if record["event"] == "started":
                        seconds = check_seconds(timeouts, record["name"], self.check_timeout)
                    elif record["event"] == "importing":
                        seconds = import_seconds(self.check_timeout)
                    deadline = part_deadline if seconds is None else min(
                        part_deadline, time.monotonic() + seconds + limits.GRACE_SECONDS)
                    yield record
                    if record["event"] == "finished":
                        return  # every result is in; close() ends the process (pytest's summary
                        # and TensorFlow's teardown would cost another half second)
            elif ended:
                return  # exited, and everything it wrote before has been read
            else:
                ended = self.process.exitcode is not None

    def copy_output(self):
        data = os.read(self.printed, 65536)
        if data:
            self.output.write(data)
        else:
            self.watched.remove(self.printed)  # every writer closed it

    def parse(self, line):
        """A record this child's plugin sent, or None (a learner writing to the pipe)."""
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict) or record.pop("nonce", None) != self.nonce:
            return None
        return record if isinstance(record.get("event"), str) else None

    def lost(self):
        """Lost if the machinery ended this child (it was not stopped by the parent): the
        out-of-memory killer (the cgroup counted a kill meanwhile; the child is its first choice)
        or a dead fork server (its children die with it, and their exit reads as status 255)."""
        kills, code = container.oom_kills(), self.process.exitcode
        if kills is not None and self.oom_kills is not None and kills > self.oom_kills:
            return ran_out_of_memory()
        if code == 255 and not alive(self.server_pid):
            return Lost("the grader's fork server died")
        if code == -signal.SIGKILL and kills is None:
            return Lost("the process was killed (SIGKILL: out of memory, or your code; this "
                        "machine does not count out-of-memory kills)", certain=False)
        return None

    def kill(self):
        self.kill_group()  # the child and anything it started
        self.process.join()

    def close(self):
        self.kill_group()  # leftovers: a learner's forks
        for _ in range(64):  # what it printed last (a bounded read: a fork may print forever)
            if self.printed not in self.watched or not select.select([self.printed], [], [], 0)[0]:
                break
            self.copy_output()
        self.stream.close()
        os.close(self.printed)

    def kill_group(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # gone, or not yet its own group's leader
            if self.process.exitcode is None:
                self.process.kill()


def check_seconds(timeouts, name, check_timeout):
    """The seconds check `name` may run: its budget (budgets.py), less under --check-timeout."""
    return min(timeouts.get(name, budgets.UNMEASURED_SECONDS), check_timeout or math.inf)


def import_seconds(check_timeout):
    """The seconds importing the learner's file may take (limits.py), less under --check-timeout."""
    return min(limits.IMPORT_SECONDS, check_timeout or math.inf)


def alive(pid):
    """Is the fork server `pid` (a child of this process) still running? Never reaps it: the
    multiprocessing module reaps and restarts it when the next grading process starts."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False  # reaped already: it died, and another thread started a new one


class OutputLog:
    """What a part's grading processes printed: kept up to a cap, then only counted."""

    def __init__(self, path, cap):
        self.path, self.cap, self.kept, self.dropped = path, cap, 0, 0
        path.unlink(missing_ok=True)  # an earlier run's

    def write(self, data):
        room = self.cap - self.kept
        if room > 0:
            with open(self.path, "ab") as log:
                log.write(data[:room])
            self.kept += min(room, len(data))
        self.dropped += max(0, len(data) - room)

    def close(self):
        if self.dropped:
            with open(self.path, "ab") as log:
                log.write(f"\n... {size(self.dropped)} more output not shown\n".encode())


def size(count):
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if count >= scale:
            return f"{count / scale:.0f} {unit}"
    return f"{count} bytes"


class PartGrading:
    """One part's grading: its results so far and the processes that produced them."""

    def __init__(self, part, submission, reports_dir, check_timeout=None, reporter=progress.Quiet()):
        self.part, self.submission, self.check_timeout = part, submission, check_timeout
        self.reports_dir = reports_dir
        self.reporter = reporter  # hears each check start, say what it does, and finish
        self.output = OutputLog(reports_dir / f"part{part}_output.txt", limits.OUTPUT_KEPT_BYTES)
        self.timeouts = {}  # check name -> seconds, from the child's list (this process never imports TF)
        self.collected, self.finished, self.losses = None, {}, {}
        self.deferred = False  # the machinery lost a process: grade the rest again, alone
        self.problem = None  # the grader could not start
        self.failure = None  # why some check could not be graded, if one could not
        self.stats = {"part": part, "processes": 0, "peak_rss_mb": 0.0, "seconds": 0.0, "regraded_alone": False}

    @property
    def results(self):
        return [self.finished[c["name"]] for c in self.collected or [] if c["name"] in self.finished]

    def grade(self, alone):
        """Grade the checks not finished yet, in a fresh process after each crash. Unless `alone`,
        stop at the first process the machinery lost: main() grades the part again, alone."""
        begin = time.monotonic()
        self.stats["regraded_alone"] |= self.deferred
        self.deferred = False
        try:
            while self.grade_in_one_process(begin + limits.PART_SECONDS, alone):
                pass
        finally:
            self.stats["seconds"] = round(self.stats["seconds"] + time.monotonic() - begin, 2)
        return self

    def grade_in_one_process(self, part_deadline, alone):
        """Grade what is left in one process; True when a fresh process should go on."""
        running, importing, killed, lost = None, False, False, None
        try:
            child = Child(self.part, self.submission, set(self.finished), self.output, self.check_timeout,
                          self.reports_dir)
        except (EOFError, OSError) as error:
            child, lost = None, Lost(f"the grader's fork server could not start ({type(error).__name__})")
        if child is not None:
            self.stats["processes"] += 1
            try:
                for record in child.records(self.timeouts, part_deadline):
                    event = record["event"]
                    if event == "collected" and self.collected is None:
                        self.collected = record["checks"]
                        self.timeouts.update((c["name"], c["timeout"]) for c in self.collected)
                    elif event in ("importing", "imported"):
                        importing = event == "importing"
                        if importing:
                            self.reporter.importing(self.part, import_seconds(self.check_timeout))
                    elif event == "started" and record.get("name") in self.timeouts:
                        running = record["name"]
                        self.reporter.started(self.part, self.check(running),
                                              check_seconds(self.timeouts, running, self.check_timeout))
                    elif event == "progress":
                        self.reporter.phase(self.part, record)
                    elif event == "result" and valid(record, self.timeouts):
                        self.finish({k: v for k, v in record.items() if k != "event"})
                        running = None
                    elif event == "killed":
                        killed = True
                    elif event == "finished":
                        self.stats["peak_rss_mb"] = max(self.stats["peak_rss_mb"], record["peak_rss_mb"])
            finally:
                child.close()
            lost = None if killed else child.lost()
        left = [c for c in self.collected or [] if c["name"] not in self.finished]
        if self.collected is not None and not left:
            return False
        if lost is not None:
            return self.after_loss(lost, running, importing, left, alone)
        returncode = None if killed else child.process.exitcode
        if self.collected is None:
            self.problem = f"part {self.part}: the grader could not start (exit {returncode}):\n{tail(self.output.path)}"
            return False
        cause = describe_death(returncode)
        if killed and time.monotonic() >= part_deadline:
            cause = f"part {self.part} ran past its {limits.PART_SECONDS} s limit"
        if running is not None and not importing and time.monotonic() < part_deadline:
            check = self.check(running)
            what = f"{cause} while running this check"
            if killed:
                what = hints.timeout_message(self.part, [check["exercise"]],
                                             check_seconds(self.timeouts, running, self.check_timeout))
            self.fail(check, what, problems.kind_of_death(returncode))
            return True  # a fresh child for the checks that are left
        where = "while importing your file" if importing else "before this check ran"
        for check in left:
            self.fail(check, f"{cause} {where}", problems.kind_of_death(returncode))
        return False

    def after_loss(self, lost, running, importing, left, alone):
        """The machinery lost the process: once, grade it again alone; twice, a grading failure."""
        place = running if running and not importing else "import" if importing else "start"
        self.losses[place] = self.losses.get(place, 0) + 1
        if not alone:
            self.deferred = True
            return False
        if self.losses[place] == 1:
            self.stats["regraded_alone"] = True
            return True
        if self.collected is None:
            self.problem = f"part {self.part}: the grader could not start: {lost.cause}"
            return False
        where = "while running this check" if place == running else (
            "while importing your file" if importing else "before this check ran")
        failed = [self.check(running)] if place == running else left
        for check in failed:
            if lost.certain:
                self.failure = lost.cause
                self.fail(check, f"not graded: {lost.cause} {where}, twice, the second time with no "
                          "other part beside it. A grading failure, not a mistake in your code: "
                          "tell your instructor", "grading failure", status="grading failure")
            else:
                self.fail(check, f"{lost.cause} {where}, twice, the second time alone", "crash")
        return place == running

    def check(self, name):
        return next(c for c in self.collected if c["name"] == name)

    def fail(self, check, what, problem, status="error"):
        self.finish(dict(check, status=status, score=0, problem=problem,
                         message=f"part {self.part}, {check['exercise']}: {what.removesuffix('.')}."))

    def finish(self, result):
        self.finished[result["name"]] = result
        self.reporter.finished(self.part, result)


def valid(record, timeouts):
    """A result the plugin could have sent: a known check, all or nothing of its points."""
    return (record.get("name") in timeouts and record.get("status") in CHILD_STATUSES
            and record.get("score") in (0, record.get("max_score")))


def tail(path):
    data = path.read_bytes()[-4000:] if path.exists() else b""
    return data.decode(errors="replace")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", help="part to grade (repeat); default: all")
    parser.add_argument("--submission", default="exercises", help="folder or file (default: exercises)")
    parser.add_argument("--report", default="reports/results.json", help="Gradescope results.json path")
    parser.add_argument("--jobs", type=int, default=None,
                        help="parts graded at once (default: as many as the CPUs and memory allow)")
    parser.add_argument("--check-timeout", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if not pathlib.Path(args.submission).exists():
        print(f"grade: no such submission: {args.submission}", file=sys.stderr)
        return 2
    unknown = [p for p in args.part or [] if p not in available_parts()]
    if unknown:
        print(f"grade: no part {unknown[0]}; the course has parts {available_parts()}", file=sys.stderr)
        return 2
    scratch = tempfile.TemporaryDirectory(prefix="grade-notebook-")  # a notebook's file, if any
    try:
        submission, parts = submission_files.choose(args.submission, args.part, available_parts(),
                                                    scratch.name)
    except submission_files.Refused as refused:
        print(f"grade: {refused}", file=sys.stderr)
        return 2

    print(f"Grading {args.submission}, part{'s' if len(parts) > 1 else ''} "
          + ", ".join(map(str, parts)) + " ...", flush=True)
    begin = time.monotonic()
    report_path = pathlib.Path(args.report).resolve()
    report_path.parent.mkdir(parents=True, exist_ok=True)
    jobs = max(1, args.jobs or default_jobs(parts))
    reporter = progress.reporter_for(sys.stdout)  # each check's line as it finishes
    gradings = {part: PartGrading(part, submission, report_path.parent, args.check_timeout, reporter)
                for part in parts}
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        # Later parts train more: start them first, so that the shortest fills in at the end.
        list(pool.map(lambda grading: grading.grade(alone=jobs == 1),
                      [gradings[part] for part in sorted(parts, reverse=True)]))
    for part in parts:  # what the machinery lost beside other parts, graded again with none beside
        if gradings[part].deferred:
            gradings[part].grade(alone=True)
    reporter.close()  # the live line, if any, gives way to the table
    results = [r for part in parts for r in gradings[part].results]
    for grading in gradings.values():
        grading.output.close()
    extra = {"parts": [gradings[part].stats for part in parts], "jobs": jobs,
             "cpus": container.cpu_count(), "memory_limit_mb": round(container.memory_limit() / 2**20),
             "problems": problems.by_part(results, submission)}
    report.write_results(report_path, results, time.monotonic() - begin, extra_data=extra)
    print()
    print(report.format_table(results))
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
