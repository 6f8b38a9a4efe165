"""The hostile learners: code that tries to reach what its grading does not need.

Each attack is module-level code appended to a learner's Part 1 file (or a notebook's solution
cell), wrapped in `try` so that a refusal is silent, as a determined learner would write it. It
knows what an attacker could know or guess: the instructor's checkout (the test writes its path
in), another learner's folder, the port a service listens on. Its base is the stub when success
would earn points (reading an answer), the reference when success would do harm (writing,
signalling, connecting): either way the honest score is known, and a successful attack shows as
a different score, a mark in a file, a connection, or a process left behind.

Used by tests/test_hostile.py (make grade, grade-batch, a Dask worker) and
tests/test_nbgrader_course.py (make autograde). Also here: a seccomp filter that makes the
sandbox's system calls fail, for the tests of the fallback (tests/test_sandbox.py uses it too).
"""

import contextlib
import ctypes
import dataclasses
import errno
import socket
import struct
import textwrap
import threading

from autograder.execute import landlock, sandbox
from conftest import ROOT

MARK = "PWNED-BY-A-LEARNER"  # the name of every file an attack manages to create
WRITTEN = MARK + "!!!"  # what it writes into every file it manages to change: made at run time
# ("{mark}" + "!" * 3), so that the attack's own code (a submission, feedback quoting it) never holds it


@dataclasses.dataclass
class Target:
    """What the attacks aim at, as the test laid it out."""

    checkouts: list  # folders holding the instructor's solutions/ or course/source/
    other_learner: str  # a file of another learner, holding the reference
    writable: list  # files and folders whose change would be harm (gradebook, results, ...)
    port: int  # a TCP port on 127.0.0.1 where the test listens


ATTACKS = {  # name: (base, code)
    "reads_the_reference": ("stub", """
        import pathlib as _pl, autograder as _ag
        for _root in [_pl.Path(_ag.__file__).resolve().parent.parent, *map(_pl.Path, {checkouts!r})]:
            try:
                _ref = _root / "solutions" / "part1_tf2_basics.py"
                exec(compile(_ref.read_text(), str(_ref), "exec"), globals())
            except BaseException:
                pass
    """),
    "reads_the_course_source": ("stub", """
        import json as _json, pathlib as _pl
        for _root in {checkouts!r}:
            try:
                _nb = _json.loads((_pl.Path(_root) / "course/source/part1/part1_tf2_basics.ipynb").read_text())
                for _cell in _nb["cells"]:
                    if _cell.get("metadata", {{}}).get("nbgrader", {{}}).get("solution"):
                        _text = "".join(_cell["source"]).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
                        exec(_text, globals())
            except BaseException:
                pass
    """),
    "reads_another_learner": ("stub", """
        try:
            exec(open({other_learner!r}).read(), globals())
        except BaseException:
            pass
    """),
    "writes_records_and_outside": ("reference", """
        import os as _os
        for _path in {writable!r} + ["/tmp/{mark}", _os.path.expanduser("~/{mark}")]:
            try:
                if _os.path.isdir(_path):
                    _path = _os.path.join(_path, "{mark}")
                with open(_path, "a") as _file:
                    _file.write("{mark}" + "!" * 3)
            except BaseException:
                pass
        try:
            _os.chdir("/")
            with open("tmp/{mark}-relative", "w") as _file:
                _file.write("{mark}" + "!" * 3)
        except BaseException:
            pass
    """),
    "connects_to_a_local_port": ("reference", """
        import _socket, socket as _sk
        for _connect in (lambda: _sk.create_connection(("127.0.0.1", {port}), 2),
                         lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM).connect(("127.0.0.1", {port}))):
            try:
                _connect()
            except BaseException:
                pass
    """),
    "signals_the_graders": ("reference", """
        import os as _os, signal as _sg
        _mine = _os.getpgid(0)
        _targets = [_os.getppid()] + list(range(max(2, _os.getppid() - 30), _os.getppid()))
        for _pid in _targets:
            try:
                if _os.getpgid(_pid) != _mine:
                    _os.kill(_pid, _sg.SIGKILL)
            except BaseException:
                pass
        try:
            for _entry in _os.listdir("/proc"):
                if _entry.isdigit() and b"autograder" in open(f"/proc/{{_entry}}/cmdline", "rb").read():
                    _os.kill(int(_entry), _sg.SIGKILL)
        except BaseException:
            pass
    """),
    "leaves_a_process_holding_the_output": ("reference", """
        import os as _os, sys as _sys, time as _time
        if _os.fork() == 0:
            _os.setsid()  # out of the grading process's group
            print("{mark} orphan", _os.getpid(), flush=True)
            _time.sleep(600)
            _os._exit(0)
    """),
}


@contextlib.contextmanager
def tcp_listener():
    """A TCP server on 127.0.0.1 that keeps what its callers send: (port, what was received)."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                received.append(server.accept()[0].recv(64))

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1], received
    finally:
        server.close()


def attack_code(name, target):
    """The module-level code of attack `name` against `target`."""
    _, code = ATTACKS[name]
    return textwrap.dedent(code).format(checkouts=list(target.checkouts), other_learner=target.other_learner,
                                        writable=list(target.writable), port=target.port, mark=MARK)


def hostile_file(name, target):
    """A learner's Part 1 file: the attack's base with the attack at its end."""
    base, _ = ATTACKS[name]
    folder = "exercises" if base == "stub" else "solutions"
    return (ROOT / folder / "part1_tf2_basics.py").read_text() + "\n\n# ---- the attack ----\n" + attack_code(name, target)


def honest_score(name, points):
    """What the attack's code earns without the trick: the stub's 0 or the reference's all."""
    return 0 if ATTACKS[name][0] == "stub" else points


def failing_filter(rules):
    """Install a seccomp filter in this process: each (system call number, first argument or
    None, errno) fails; inherited by what it starts (a subprocess's preexec_fn can call it)."""
    program = []
    for number, first, code in rules:
        program += [(0x20, 0, 0, 0), (0x15, 0, 1 if first is None else 3, number)]
        if first is not None:
            program += [(0x20, 0, 0, 16), (0x15, 0, 1, first)]
        program.append((0x06, 0, 0, sandbox.RET_ERRNO | code))
    program.append((0x06, 0, 0, sandbox.RET_ALLOW))
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(code, len(code))
    landlock.no_new_privileges()
    fprog = struct.pack("HP", len(program), ctypes.addressof(buffer))
    assert ctypes.CDLL(None).prctl(sandbox.PR_SET_SECCOMP, sandbox.SECCOMP_MODE_FILTER, fprog, 0, 0) == 0


def no_landlock(code=errno.ENOSYS):
    """The rules that make Landlock's three system calls fail with `code`, as an old kernel
    (ENOSYS), one booted without it (EOPNOTSUPP) or a container's profile (EPERM) would."""
    return [(number, None, code) for number in (landlock.SYS_CREATE_RULESET, landlock.SYS_ADD_RULE,
                                                landlock.SYS_RESTRICT_SELF)]
