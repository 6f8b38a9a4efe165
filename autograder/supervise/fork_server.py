"""The fork server every grading process is forked from: TensorFlow and the checks imported once.

Runs in the parent (`make grade`, a warm grader). multiprocessing's "forkserver" context starts a
server process that imports execute/preload.py, so each part (or a fresh process after a crash)
starts in a fraction of a second instead of paying TensorFlow's import again. This module only
names the server; the parent itself never imports TensorFlow.
"""

import multiprocessing
import os


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
