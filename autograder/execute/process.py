"""The body of a grading process: what runs in it before the learner's file is imported.

Runs in the grading process, forked from the fork server (supervise/fork_server.py, whose preload
is preload.py): its own session (so the parent can kill it and whatever it starts at once), the
resource limits, stdout and stderr into the parent's output pipe, every other inherited
descriptor closed, the operating-system sandbox (sandbox.py: from here on the process reads only
Python, the grader and this submission, writes only its scratch folder, opens no socket and
signals no process outside), then pytest with the grading plugin (plugin.py). Imports nothing
heavy at module level: the parent imports this module to name it as the process's target.
"""

import ctypes
import multiprocessing
import os
import pathlib
import resource
import signal
import sys

from autograder.checkkit import limits
from autograder.checkkit.environment import ROOT
from autograder.execute import sandbox

PR_SET_PDEATHSIG = 1
HERE = pathlib.Path(__file__).resolve().parent
SANDBOX_REFUSED = 70  # the exit status of a grading process that would have run unsandboxed


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


def grading_process(part, submission, skip, skip_cells, check_timeout, nonce, writer, printer, scratch, policy):
    """The body of a grading process, forked from the fork server: its own session (so the parent
    can kill it and whatever it starts at once), the limits, stdout and stderr into the parent's
    output pipe, the sandbox, then pytest with the grading plugin.

    skip_cells: cells of a notebook that stopped an earlier process: their definitions only.
    scratch: the folder the parent made for this process, the only one it may write (the
    pictures checks draw go to scratch/files, which the parent copies beside the report).
    policy: "require" (the class paths: no sandbox, no grading), "warn" or "off" (sandbox.py)."""
    os.setsid()
    limit_resources()  # before the sandbox, which makes /proc/self/oom_score_adj read-only
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(printer.fileno(), 1)
    os.dup2(printer.fileno(), 2)
    printer.close()
    keep_only_descriptors(0, 1, 2, writer.fileno())
    files = pathlib.Path(scratch) / "files"
    files.mkdir()
    said = confine(submission, scratch) if policy != "off" else "none (turned off for this run)"
    if policy == "require" and said.startswith("none"):
        print(f"grade: refusing to run a learner's code without a sandbox here: {said}", flush=True)
        os._exit(SANDBOX_REFUSED)
    sandbox.use_scratch(scratch)  # TMPDIR, HOME, MPLCONFIGDIR and the working folder
    os.environ["AUTOGRADER_NONCE"] = nonce  # the plugin takes it out before any learner code runs
    os.environ["AUTOGRADER_SANDBOX"] = said  # likewise; it goes into results.json
    os.environ["AUTOGRADER_REPORTS_DIR"] = str(files)
    multiprocessing.current_process()._args = ()  # nor is it left in the process object
    command = [  # -s: output goes straight to the pipe (pytest's capture files would hit the file cap)
        str(HERE / "test_checks.py"),
        "-p", "autograder.execute.plugin", "-p", "no:cacheprovider", "-p", "no:terminal", "-s",
        "-c", str(HERE / "pytest.ini"), "--rootdir", str(HERE),
        "--part", str(part), "--submission", str(submission), "--results-fd", str(writer.fileno()),
    ]
    for name in sorted(skip):
        command += ["--skip-check", name]
    for index in sorted(skip_cells):
        command += ["--skip-cell", str(index)]
    if check_timeout:
        command += ["--check-timeout", str(check_timeout)]
    import pytest

    sys.exit(pytest.main(command))


def readable_paths(submission):
    """What the learner's code may read: Python (the venv and the installation it was made
    from), the grader and the course kit (not the folder that holds them: a checkout's
    solutions/ sits beside them), this submission, and the two files TensorFlow opens while it
    runs (/proc/self: it aborts without it; /dev/urandom: std::random_device)."""
    prefixes = {sys.prefix, os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    return [*sorted(prefixes), str(ROOT / "autograder"), str(ROOT / "coursekit"), str(submission),
            "/proc/self", "/dev/urandom"]


def confine(submission, scratch):
    """Apply the sandbox; its one-line description, "none (why)" where it could not hold."""
    try:
        return sandbox.confine(read=readable_paths(submission), read_write=[str(scratch), os.devnull])
    except (OSError, RuntimeError) as error:
        return f"none (the sandbox failed: {type(error).__name__}: {error})"


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
