"""The fork server every grading process is forked from: TensorFlow and the checks imported once.

Runs in the parent (`make grade`, a warm grader). multiprocessing's "forkserver" context starts a
server process that imports execute/preload.py, so each part (or a fresh process after a crash)
starts in a fraction of a second instead of paying TensorFlow's import again. This module only
names the server; the parent itself never imports TensorFlow.
"""

import multiprocessing
import os
import pathlib
import signal
import threading

STARTING = threading.Lock()  # held while a grading process starts and while orphans are ended:
# a process just forked is never taken for an orphan
RUNNING = set()  # the pids of the grading processes running now, from this process's threads


def fork_server():
    """The multiprocessing context whose server has TensorFlow and the checks imported
    (execute/preload.py)."""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"  # the server's stderr is the learner's terminal
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograder.execute.preload"])
    return context


def alive(pid):
    """Is the fork server `pid` (a child of this process) still running? Never reaps it: the
    multiprocessing module reaps and restarts it when the next grading process starts."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False  # reaped already: it died, and another thread started a new one


def end_orphans(server_pid):
    """End every process the fork server adopted: its children that are not a running grading
    process are the forks a grading process left behind (preload.py makes the server their
    reaper). Call with STARTING held."""
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        pid = int(stat.parent.name)
        if parent == server_pid and pid not in RUNNING:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
