"""A warm grader: one process that grades submission after submission with `make grade`'s engine.

    python -m classroom.warm_grader PARENT_PID      (started by WarmGrader, never by hand)

`python -m autograder` pays for a Python start, a fork server and TensorFlow's import (5-8 s on
two busy cores) for every learner. A warm grader pays them once: it reads requests on stdin, one
JSON line each holding the arguments `python -m autograder` would get, grades by calling the same
run.main() with them, and answers on stdout with the exit status and what run.main printed. Its
fork server, with TensorFlow and the checks imported, outlives each learner; every learner's parts
are still graded in fresh processes forked from it, so the isolation, limits, tamper guard,
hidden checks, retries and report are exactly `make grade`'s. This process never imports or runs
a learner's code: a learner's crash, hang or tampering ends their own grading processes, not it.

`WarmGrader` is the other end (grade-batch, `make autograde`, each Dask worker: cluster.py). A
warm grader whose process died (killed, out of memory) is replaced by a fresh one and the
learner graded again; a learner whose grading loses the process twice is a GraderDied.
"""

import concurrent.futures
import contextlib
import io
import json
import os
import pathlib
import queue
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from classroom import grader_tree


class GraderDied(RuntimeError):
    """The warm grader's process died twice while grading one submission; the message says how."""


def grader_environment(grader_root, environment=None):
    """`environment` (this process's by default) with what `make grade` sets for the engine of
    the repository at `grader_root`."""
    return dict(os.environ if environment is None else environment, PYTHONPATH=str(grader_root),
                TF_CPP_MIN_LOG_LEVEL="3", KERAS_HOME=str(pathlib.Path(grader_root) / ".keras"),
                PYTHONDONTWRITEBYTECODE="1")


# ---------------------------------------------------------------- the warm process
def serve(parent_pid):
    """Answer requests until stdin closes or the process that started this one is gone."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # The fork server and its processes inherit descriptors 0-2: none of them may write an answer.
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    threading.Thread(target=exit_with, args=(parent_pid,), daemon=True).start()
    warm_up()
    for line in requests:
        answers.write(json.dumps(grade(json.loads(line)["argv"])) + "\n")
        answers.flush()


def exit_with(parent_pid):
    """End this process once its parent is gone (killed with its Dask worker, say): the fork
    server then ends, and the grading processes with it."""
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(1)


def warm_up():
    """Start the fork server now: TensorFlow is imported while the first request is on its way."""
    from multiprocessing import forkserver

    from autograder.supervise.fork_server import fork_server

    fork_server()
    forkserver.ensure_running()


def grade(argv):
    """cli.main(argv), as `python -m autograder` runs it: its exit status and what it printed."""
    from autograder.supervise import cli

    output, begin = io.StringIO(), time.monotonic()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            status = cli.main(argv)
        except SystemExit as exit:  # argparse's usage errors
            status = exit.code if isinstance(exit.code, int) else 2
        except Exception:  # a bug in the grader: reported like `python -m autograder` reports it
            traceback.print_exc()
            status = 1
    return {"status": status, "output": output.getvalue(), "seconds": time.monotonic() - begin}


# ---------------------------------------------------------------- the other end
class WarmGrader:
    """A warm grader process and the pipes to it; grades one submission at a time."""

    def __init__(self, grader_root=None, environment=None):
        """grader_root: the grader to import (default: this checkout's grader-only tree,
        grader_tree.py); environment: the process's (default: this one's)."""
        self.root = pathlib.Path(grader_root or grader_tree.ensure())
        self.environment = environment
        self.process, self.errors = None, None
        self.start()

    def start(self):
        self.errors = tempfile.TemporaryFile()  # its stderr: its last words, if it dies
        self.process = subprocess.Popen(
            [sys.executable, "-m", "classroom.warm_grader", str(os.getpid())], cwd=self.root,
            env=grader_environment(self.root, self.environment), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.errors,
            start_new_session=True)  # Ctrl-C reaches the caller only, who ends this process

    def grade(self, argv, timeout=None):
        """Grade as `python -m autograder argv` would: {"status", "output", "seconds"}. A process
        that dies is replaced and the submission graded again; raises GraderDied the second time."""
        try:
            return self.ask(argv, timeout)
        except GraderDied:
            self.restart()
        try:
            return self.ask(argv, timeout)
        except GraderDied as died:
            self.restart()
            raise GraderDied(f"the grader's process died twice while grading it; the second time {died}") from None

    def restart(self):
        self.close()
        self.start()

    def ask(self, argv, timeout):
        try:
            self.process.stdin.write((json.dumps({"argv": [str(a) for a in argv]}) + "\n").encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            raise GraderDied(self.last_words()) from None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        if not ready:
            self.kill()
            raise GraderDied(f"it ran past {timeout:.0f} s and was stopped")
        if not line:
            raise GraderDied(self.last_words())
        return json.loads(line)

    def last_words(self):
        code = self.process.wait()
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        self.errors.seek(0)
        said = self.errors.read().decode(errors="replace").strip()[-2000:]
        return f"it ended ({how})" + (f": {said}" if said else "")

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # it, and its fork server
        except ProcessLookupError:
            pass
        self.process.wait()

    def close(self):
        """End the process: it finishes nothing, since it is between two submissions."""
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()  # its end of file: it exits
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process.stdout.close()
        self.errors.close()


def grade_each(items, jobs, work, grader_root=None):
    """Yield work(grader, item) for every item as each finishes, `jobs` warm graders at a time."""
    items = list(items)
    graders = [WarmGrader(grader_root) for _ in range(min(max(1, jobs), len(items)))]
    idle = queue.SimpleQueue()
    for grader in graders:
        idle.put(grader)

    def one(item):
        grader = idle.get()
        try:
            return work(grader, item)
        finally:
            idle.put(grader)

    if not graders:
        return
    try:
        with concurrent.futures.ThreadPoolExecutor(len(graders)) as pool:
            for future in concurrent.futures.as_completed([pool.submit(one, item) for item in items]):
                yield future.result()
    finally:
        for grader in graders:
            grader.close()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
