"""One grading process, watched from the parent: started from the fork server, read record by
record, stopped when a check overruns, and asked afterwards whether the machinery lost it.

Runs in the parent. The grading process streams one JSON record per event through a pipe
(execute/plugin.py), each stamped with a nonce the learner's code never sees; what it prints
goes through a second pipe into the part's output log (part_grading.OutputLog).
"""

import contextlib
import dataclasses
import json
import math
import os
import pathlib
import re
import secrets
import select
import shutil
import signal
import stat
import tempfile
import time
from multiprocessing import forkserver

from autograder.checkkit import budgets, limits
from autograder.execute.process import grading_process
from autograder.supervise import container
from autograder.supervise.fork_server import RUNNING, STARTING, alive, end_orphans, fork_server

PICTURE = re.compile(r"[\w.-]+\.png")  # what a check may leave for the learner (checkkit/artifacts.py)


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


OPEN = set()  # the Children started and not closed yet: `make watch` stops them on Ctrl-C


def stop_all():
    """Kill every running grading process and what it started (`make watch`'s Ctrl-C)."""
    for child in list(OPEN):
        child.kill_group()


class Child:
    """One grading process for some of a part's checks, watched check by check, with a scratch
    folder of its own (the only one its sandbox lets it write)."""

    def __init__(self, part, submission, skip, output, check_timeout, sandbox_policy="warn", skip_cells=()):
        self.nonce = secrets.token_hex(16)
        self.output = output
        self.oom_kills = container.oom_kills()
        self.scratch = pathlib.Path(tempfile.mkdtemp(prefix=f"grading-part{part}-"))
        context = fork_server()
        reader, writer = context.Pipe(duplex=False)
        printed, printer = context.Pipe(duplex=False)  # the child's stdout and stderr
        self.process = context.Process(
            target=grading_process, name=f"grade-part{part}",
            args=(part, submission, sorted(skip), sorted(skip_cells), check_timeout, self.nonce, writer, printer,
                  str(self.scratch), sandbox_policy))
        try:
            with STARTING:
                self.process.start()  # EOFError or OSError when the fork server died starting
                RUNNING.add(self.process.pid)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
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
        OPEN.add(self)

    def claim_files(self, result, reports_dir):
        """Copy the pictures a check drew (in the scratch folder) beside the report, and point the
        result at the copies. Only plain PNG files of the scratch folder's files/ are taken: the
        learner's code can write there, and this process reads with the instructor's rights."""
        kept, drawn = [], self.scratch / "files"
        for path in result.get("files") or []:
            source = pathlib.Path(str(path))
            if source.parent != drawn or not PICTURE.fullmatch(source.name):
                continue
            copy = pathlib.Path(reports_dir) / source.name
            try:
                data = read_plain_file(source, limits.FILE_BYTES)
                if data is None:
                    continue
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.unlink(missing_ok=True)
                copy.write_bytes(data)
            except OSError:
                continue
            kept.append(str(copy))
        return dict(result, files=kept)

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
                    elif record["event"] == "cell" and isinstance(record.get("seconds"), (int, float)):
                        seconds = min(float(record["seconds"]), limits.CELL_SECONDS)
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
        OPEN.discard(self)
        self.kill_group()  # leftovers: a learner's forks
        self.process.join(timeout=10)  # its forks that left its group are the server's once it is gone
        with STARTING:
            RUNNING.discard(self.process.pid)
            end_orphans(self.server_pid)  # and the forks that left the group (setsid)
        for _ in range(64):  # what it printed last (a bounded read: a fork may print forever)
            if self.printed not in self.watched or not select.select([self.printed], [], [], 0)[0]:
                break
            self.copy_output()
        self.stream.close()
        os.close(self.printed)
        remove_folder(self.scratch)

    def kill_group(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # gone, or not yet its own group's leader
            if self.process.exitcode is None:
                self.process.kill()


def read_plain_file(path, cap):
    """The bytes of `path` if it is a plain file of at most `cap` bytes, else None. Opened without
    following a link and checked once open: the learner's code may swap it for a link meanwhile."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        facts = os.fstat(file.fileno())
        if not stat.S_ISREG(facts.st_mode) or facts.st_size > cap:
            return None
        return file.read(cap)


def remove_folder(folder):
    """Remove a scratch folder whatever the learner's code left in it (folders it made
    unreadable included). chmod follows links, so only real folders are opened up: a link the
    learner left must never lend the instructor's rights to what it points at."""
    def allow_and_retry(function, path, _):
        with contextlib.suppress(OSError):
            for folder in (os.path.dirname(path), path):
                if stat.S_ISDIR(os.lstat(folder).st_mode):
                    os.chmod(folder, 0o700)
            function(path)

    shutil.rmtree(folder, onerror=allow_and_retry)
    shutil.rmtree(folder, ignore_errors=True)


def check_seconds(timeouts, name, check_timeout):
    """The seconds check `name` may run: its budget (budgets.py), less under --check-timeout."""
    return min(timeouts.get(name, budgets.UNMEASURED_SECONDS), check_timeout or math.inf)


def import_seconds(check_timeout):
    """The seconds importing the learner's file may take (limits.py), less under --check-timeout."""
    return min(limits.IMPORT_SECONDS, check_timeout or math.inf)
