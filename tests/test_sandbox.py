"""The grading process's operating-system sandbox (autograder/execute/sandbox.py), on the real kernel.

Each test forks a child from this process (as the grader forks from its fork server), confines
it, makes it try something, and reads what happened through a pipe. Where a test needs Landlock
to be missing or seccomp to fail, the child installs a real seccomp filter of its own first that
makes those system calls fail as an old kernel or a container's profile would.
"""

import ctypes
import errno
import json
import os
import pathlib
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from autograder.execute import landlock, sandbox
from hostile import failing_filter, no_landlock

AVAILABLE, WHY = sandbox.available()
needs_sandbox = pytest.mark.skipif(not AVAILABLE, reason=f"no sandbox here: {WHY}")
PR_SET_DUMPABLE = 4
PRCTL = {"x86_64": 157, "aarch64": 167, "arm64": 167}.get(platform.machine())  # prctl's number
needs_seccomp = pytest.mark.skipif(
    platform.system() != "Linux" or PRCTL is None or not sandbox.seccomp_available(),
    reason="a seccomp filter is needed to make Landlock or seccomp fail for real")


@pytest.fixture
def folders(tmp_path):
    """The grading process's world: its scratch folder, the learner's submission copy (read-only)
    and, outside both, a reference solution it must not see."""
    layout = {name: tmp_path / name for name in ("scratch", "submission", "solutions")}
    for folder in layout.values():
        folder.mkdir()
    (layout["submission"] / "part1_basics.py").write_text("ANSWER = 41\n")
    (layout["solutions"] / "part1_basics.py").write_text("ANSWER = 42\n")
    layout["outside"] = tmp_path
    return layout


def run_confined(folders, action, prepare=None, execute=()):
    """In a forked child: prepare() (unconfined), confine, then action(prepared) -> dict of
    outcomes; returns that dict, with the description under "sandbox"."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(reader)
            prepared = prepare() if prepare else None
            description = sandbox.confine(
                read=[sys.prefix, sys.base_prefix, "/proc/self", "/dev/urandom", folders["submission"]],
                read_write=[folders["scratch"], "/dev/null"], execute=execute)
            result = {"sandbox": description, **action(prepared)}
        except BaseException as error:
            result = {"child error": repr(error)}
        os.write(writer, json.dumps(result).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result = json.loads(data)
    assert "child error" not in result, result
    return result


def attempt(function, *args):
    """"ok", or the errno name the call failed with."""
    try:
        function(*args)
        return "ok"
    except OSError as error:
        return errno.errorcode.get(error.errno, str(error))


def write(path, text="x"):
    with open(path, "w") as file:
        file.write(text)


def read(path):
    with open(path) as file:
        return file.read()


@needs_sandbox
def test_describe_sandbox_names_landlock_abi():
    """Does the description say which Landlock ABI holds, the same before grading and inside?"""
    version = landlock.abi_version()
    assert AVAILABLE and WHY.startswith(f"landlock ABI {version}"), WHY
    result = run_confined({"submission": "/nonexistent", "scratch": "/nonexistent"}, lambda _: {})
    assert re.fullmatch(rf"landlock ABI {version}; no sockets \(seccomp\)", result["sandbox"]), result


@needs_sandbox
def test_read_file_outside_allowed_set_denied(folders):
    """Is the reference solution unreadable while the learner's own file stays readable?"""
    result = run_confined(folders, lambda _: {
        "reference": attempt(read, folders["solutions"] / "part1_basics.py"),
        "own file": attempt(read, folders["submission"] / "part1_basics.py")})
    assert result["reference"] == "EACCES" and result["own file"] == "ok", result


@needs_sandbox
def test_list_forbidden_folder_denied(folders):
    """Can the learner's code list neither the solutions folder nor the folder around its own?"""
    result = run_confined(folders, lambda _: {
        "solutions": attempt(os.listdir, folders["solutions"]),
        "around": attempt(os.listdir, folders["outside"]),
        "submission": attempt(os.listdir, folders["submission"])})
    assert result == dict(result, solutions="EACCES", around="EACCES", submission="ok"), result


@needs_sandbox
def test_write_outside_scratch_denied(folders):
    """Is writing refused everywhere but the scratch folder, also by a relative path after
    chdir('/')?"""
    def action(_):
        outcomes = {"scratch": attempt(write, folders["scratch"] / "notes.txt"),
                    "beside": attempt(write, folders["outside"] / "notes.txt")}
        os.chdir("/")
        outcomes["relative after chdir /"] = attempt(write, "notes.txt")
        outcomes["/dev/null"] = attempt(write, "/dev/null")
        return outcomes

    result = run_confined(folders, action)
    assert result == dict(result, scratch="ok", beside="EACCES", **{"relative after chdir /": "EACCES",
                                                                    "/dev/null": "ok"}), result
    assert not (folders["outside"] / "notes.txt").exists()


@needs_sandbox
def test_create_file_in_submission_folder_denied(folders):
    """Is the learner's submission copy read-only: no new file, no change, no removal?"""
    own = folders["submission"] / "part1_basics.py"
    result = run_confined(folders, lambda _: {
        "create": attempt(write, folders["submission"] / "extra.py"),
        "append": attempt(lambda: open(own, "a").close()),
        "remove": attempt(os.unlink, own)})
    assert result == dict(result, create="EACCES", append="EACCES", remove="EACCES"), result
    assert own.read_text() == "ANSWER = 41\n"


@needs_sandbox
def test_tcp_connect_and_bind_denied(folders):
    """Are a TCP connect to a port this process listens on, a TCP bind and UDP all refused, while
    a stream socketpair (in-process plumbing) still works?"""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = run_confined(folders, lambda _: {
            "connect": attempt(socket.create_connection, ("127.0.0.1", port), 2),
            "bind": attempt(lambda: socket.socket().bind(("127.0.0.1", 0))),
            "udp": attempt(lambda: socket.socket(type=socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", port))),
            "socketpair": attempt(socket.socketpair)})
    assert result == dict(result, connect="EACCES", bind="EACCES", udp="EACCES", socketpair="ok"), result


def io_uring_setup():
    """Make an io_uring (it can open and connect sockets without the socket() system call)."""
    libc, parameters = ctypes.CDLL(None, use_errno=True), ctypes.create_string_buffer(120)
    descriptor = libc.syscall(425, 1, parameters)  # io_uring_setup: 425 on x86_64 and arm64
    if descriptor < 0:
        raise OSError(ctypes.get_errno(), "io_uring_setup")
    os.close(descriptor)


@needs_sandbox
def test_io_uring_refused(folders):
    """Is io_uring refused inside, while this kernel gives it outside?"""
    outside = attempt(io_uring_setup)
    assert run_confined(folders, lambda _: {"io_uring": attempt(io_uring_setup)})["io_uring"] == "ENOSYS"
    assert outside in ("ok", "EPERM"), outside  # EPERM: io_uring disabled by sysctl here


@needs_sandbox
def test_tcp_with_socket_made_before_confine_denied(folders):
    """Does Landlock alone refuse TCP: a socket made before confine() (past seccomp's reach)
    can neither connect nor bind?"""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = run_confined(folders, lambda made: {
            "connect": attempt(made[0].connect, ("127.0.0.1", port)),
            "bind": attempt(made[1].bind, ("127.0.0.1", 0))}, prepare=lambda: (socket.socket(), socket.socket()))
    assert result == dict(result, connect="EACCES", bind="EACCES"), result


@needs_sandbox
def test_unix_sockets_outside_denied(folders, tmp_path):
    """Are an abstract Unix socket and one by path (how the fork server listens) both out of
    reach, the abstract one even with a socket made before confine() (Landlock's scope)?"""
    name = f"\0autograder-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX) as abstract, socket.socket(socket.AF_UNIX) as by_path:
        abstract.bind(name)
        abstract.listen()
        by_path.bind(str(tmp_path / "listener"))
        by_path.listen()
        result = run_confined(folders, lambda made: {
            "abstract": attempt(lambda: socket.socket(socket.AF_UNIX).connect(name)),
            "by path": attempt(lambda: socket.socket(socket.AF_UNIX).connect(str(tmp_path / "listener"))),
            "abstract, socket made before": attempt(made.connect, name)},
            prepare=lambda: socket.socket(socket.AF_UNIX))
    assert result == dict(result, abstract="EACCES", **{"by path": "EACCES",
                                                        "abstract, socket made before": "EPERM"}), result


@needs_sandbox
def test_signal_outside_sandbox_denied(folders):
    """Can the confined process signal neither its parent nor a sibling, but still its own fork?"""
    sibling = subprocess.Popen(["sleep", "30"])

    def action(_):
        outcomes = {"parent": attempt(os.kill, os.getppid(), 0),
                    "sibling": attempt(os.kill, sibling.pid, signal.SIGTERM)}
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
        outcomes["own fork"] = attempt(os.kill, child, signal.SIGKILL)
        outcomes["own fork status"] = os.waitpid(child, 0)[1]
        return outcomes

    try:
        result = run_confined(folders, action)
        assert sibling.poll() is None, "the sibling was killed"
    finally:
        sibling.kill()
        sibling.wait()
    assert result == dict(result, parent="EPERM", sibling="EPERM", **{"own fork": "ok"}), result
    assert os.WIFSIGNALED(result["own fork status"]) and os.WTERMSIG(result["own fork status"]) == signal.SIGKILL


@needs_sandbox
@pytest.mark.skipif(not os.access("/usr/bin/true", os.X_OK), reason="no /usr/bin/true")
def test_execute_only_where_granted(folders):
    """Does a program run only from where `execute` grants it, not from the scratch folder, and
    not at all without the grant?"""
    copy = folders["scratch"] / "true"
    copy.write_bytes(pathlib.Path("/usr/bin/true").read_bytes())
    copy.chmod(0o755)

    def action(_):
        return {"granted": attempt(subprocess.run, ["/usr/bin/true"]),
                "copy in scratch": attempt(subprocess.run, [str(copy)])}

    granted = run_confined(folders, action, execute=["/usr", "/lib", "/lib64"])
    assert granted == dict(granted, granted="ok", **{"copy in scratch": "EACCES"}), granted
    assert run_confined(folders, action)["granted"] == "EACCES"


@needs_sandbox
def test_own_fork_stays_confined(folders):
    """Does a process the learner's code forks inherit the sandbox?"""
    def action(_):
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:
            os.write(writer, attempt(read, folders["solutions"] / "part1_basics.py").encode())
            os._exit(0)
        os.close(writer)
        os.waitpid(child, 0)
        return {"fork reads reference": os.read(reader, 100).decode()}

    assert run_confined(folders, action)["fork reads reference"] == "EACCES"


@needs_sandbox
def test_temporary_file_after_use_scratch_lands_in_scratch(folders):
    """After use_scratch(), does tempfile write into the scratch folder although this process
    had already settled on another folder, as the fork server has?"""
    tempfile.gettempdir()  # settled here, before the fork, as in the fork server

    def action(_):
        before = attempt(tempfile.mkstemp)  # in the folder settled before: outside scratch
        sandbox.use_scratch(folders["scratch"])
        descriptor, path = tempfile.mkstemp()
        return {"before": before, "after": path, "cwd": os.getcwd(), "HOME": os.path.expanduser("~")}

    result = run_confined(folders, action)
    assert result["before"] == "EACCES", result
    assert result["after"].startswith(str(folders["scratch"])), result
    assert result["cwd"] == result["HOME"] == str(folders["scratch"]), result


def test_describe_old_abi_names_its_gaps():
    """Does the description of an old kernel's Landlock name what it leaves open?"""
    assert sandbox.describe(2, "no sockets (seccomp)") == (
        "landlock ABI 2; no sockets (seccomp); files the user may write can be truncated (Landlock ABI < 3); "
        "signals to the user's other processes allowed (Landlock ABI < 6)")
    assert sandbox.describe(landlock.KNOWN_ABI + 1, "x").startswith(
        f"landlock ABI {landlock.KNOWN_ABI + 1} (rights of ABI {landlock.KNOWN_ABI})")


@needs_sandbox
def test_parent_kills_confined_group(folders):
    """Can the parent, outside the sandbox, still kill the confined process's whole group, as
    run.py does when a check overruns?"""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        sandbox.confine(read=[sys.prefix, sys.base_prefix], read_write=[folders["scratch"]])
        os.write(writer, b"confined")
        time.sleep(60)
        os._exit(0)
    os.close(writer)
    assert os.read(reader, 8) == b"confined"
    os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


@needs_sandbox
def test_confine_with_threads_refused():
    """Does confine() refuse a process that already runs a second thread (which it would leave
    unconfined)?"""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
        try:
            sandbox.confine(read=[sys.prefix])
            outcome = b"confined"
        except RuntimeError:
            outcome = b"refused"
        os.write(writer, outcome)
        os._exit(0)
    os.close(writer)
    outcome = os.read(reader, 16)
    os.waitpid(pid, 0)
    assert outcome == b"refused"


NO_SECCOMP = [(PRCTL, sandbox.PR_SET_SECCOMP, errno.EINVAL),  # as a kernel without seccomp filters
              (sandbox.SECCOMP_MACHINES.get(platform.machine(), (0,) * 5)[4], None, errno.ENOSYS)]


@needs_seccomp
@pytest.mark.parametrize("code, named", [(errno.ENOSYS, "ENOSYS"), (errno.EOPNOTSUPP, "EOPNOTSUPP"),
                                         (errno.EPERM, "seccomp")], ids=["ENOSYS", "EOPNOTSUPP", "EPERM"])
def test_landlock_missing_says_none(folders, code, named):
    """Where the kernel lacks Landlock, has it disabled, or a seccomp profile blocks it, do
    available() and confine() say so, and is that true (the reference stays readable)?"""
    result = run_confined(folders, lambda said: {
        "available": said, "reference": attempt(read, folders["solutions"] / "part1_basics.py")},
        prepare=lambda: (failing_filter(no_landlock(code)), sandbox.available())[1])
    assert result["available"][0] is False and named in result["available"][1], result
    assert result["sandbox"].startswith("none (") and named in result["sandbox"], result
    assert result["sandbox"].endswith("; no sockets (seccomp)"), result
    assert result["reference"] == "ok", result


@needs_seccomp
@pytest.mark.parametrize("user", ["this user", "nobody"])
def test_network_namespace_when_seccomp_fails(folders, user):
    """Without Landlock or a seccomp filter, does a network namespace (with a user namespace
    when unprivileged) still cut the network, and do available() and confine() say so?"""
    if user == "nobody" and os.getuid() != 0:
        pytest.skip("becoming another user needs root")

    def prepare():
        failing_filter(no_landlock(errno.ENOSYS) + NO_SECCOMP)
        if user == "nobody":
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a process started by that user
            # is: changing user made this one undumpable, which leaves /proc/self to root
        return sandbox.available()

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = run_confined(folders, lambda said: {
            "available": said, "connect": attempt(socket.create_connection, ("127.0.0.1", port), 2)},
            prepare=prepare)
    assert result["available"][0] is False, result
    assert result["sandbox"].startswith("none ("), result
    namespaces = "user and network namespace" if user == "nobody" else "(network namespace)"
    assert namespaces in result["sandbox"], result
    assert result["connect"] == "ENETUNREACH", result
