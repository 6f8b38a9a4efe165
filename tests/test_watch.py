"""`make watch` on a pseudo-terminal, as a learner runs it: the first grading, a half-typed save
(one line, then it waits), a save that fixes an exercise (only that line, then the new total),
Ctrl-C (a sentence, no traceback, the fork server gone); then `make progress` over the attempts
it logged."""

import contextlib
import fcntl
import os
import pathlib
import re
import select
import signal
import subprocess
import termios
import time

import pytest

from autograder.checkkit.registry import PARTS
from conftest import ROOT

pytestmark = pytest.mark.slow
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Terminal:
    """A command whose controlling terminal is a pseudo-terminal we type into and read."""

    def __init__(self, command, cwd, env):
        self.master, slave = os.openpty()

        def become_its_terminal():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(command, cwd=cwd, env=dict(env, COLUMNS="120", TERM="xterm"),
                                        stdin=slave, stdout=slave, stderr=slave,
                                        preexec_fn=become_its_terminal)
        os.close(slave)
        self.output = ""

    def shown(self):
        """What the terminal shows so far, escape sequences and carriage returns removed."""
        return ESCAPES.sub("", self.output)

    def wait_for(self, pattern, seconds=600, after=0):
        """The match of `pattern` in what is shown past character `after`, waiting for it."""
        deadline = time.monotonic() + seconds
        while True:
            found = re.compile(pattern, re.MULTILINE).search(self.shown(), after)
            if found:
                return found
            ready, _, _ = select.select([self.master], [], [], max(0, min(1, deadline - time.monotonic())))
            if ready:
                with contextlib.suppress(OSError):  # the other side closed: EIO
                    chunk = os.read(self.master, 65536)
                    self.output += chunk.decode(errors="replace")
                    continue
            if time.monotonic() > deadline or self.process.poll() is not None and not ready:
                pytest.fail(f"waited for {pattern!r}; the terminal shows:\n{self.shown()[-4000:]}")

    def press_ctrl_c(self):
        os.write(self.master, b"\x03")  # the terminal sends SIGINT to its foreground group

    def close(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)
        os.close(self.master)


def fork_servers(pid):
    """The fork servers among the processes below `pid`."""
    children = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            if b"multiprocessing.forkserver" in pathlib.Path(f"/proc/{current}/cmdline").read_bytes():
                found.append(current)
        todo += children.get(current, [])
    return found


def alive(pid):
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def solved(stub, exercise, part=1):
    """The stub with the reference's `exercise` pasted after it (a learner who did that one)."""
    import ast

    reference = (ROOT / "solutions" / f"{PARTS[part]}.py").read_text()
    node = next(n for n in ast.parse(reference).body if getattr(n, "name", None) == exercise)
    return stub + "\n\n" + ast.get_source_segment(reference, node) + "\n"


def watch_session(folder, env, command="make watch PART=1", half_typed=True, edit=True):
    """Run `command` in `folder` (a repository whose exercises/ hold the stubs) on a terminal:
    wait for the first total, save a half-typed file (if `half_typed`), then standardize solved
    (if `edit`), then press Ctrl-C. Returns (what was shown after the save, everything shown,
    fork servers seen while it ran, its exit status)."""
    path = folder / "exercises" / f"{PARTS[1]}.py"
    stub = path.read_text()
    terminal = Terminal(command.split(), folder, env)
    try:
        terminal.wait_for(r"^Total: 0/\d+ points")
        servers = fork_servers(terminal.process.pid)
        if not edit:
            half_typed = False
        if half_typed:
            path.write_text(stub + "\n\ndef standardize(x, axis=0:\n")
            terminal.wait_for(r"^part 1: your file has a syntax error at line \d+: .*; waiting for the next save$")
        start, after_save = len(terminal.shown()), ""
        if edit:
            path.write_text(solved(stub, "standardize"))
            terminal.wait_for(r"^Total: 2/\d+ points", after=start)
            after_save = terminal.shown()[start:]
        terminal.press_ctrl_c()
        terminal.wait_for(r"^Stopped watching\.$", seconds=60)
        status = terminal.process.wait(timeout=60)
        return after_save, terminal.shown(), servers, status
    finally:
        path.write_text(stub)
        terminal.close()


def test_watch_grades_each_save_and_stops_on_ctrl_c(tmp_path):
    """On a terminal, does `make watch PART=1` grade the stubs, answer a half-typed save with one
    line and wait, answer the save that solves standardize with that check's line alone and the
    new total, and end on Ctrl-C with a sentence, no traceback, its fork server gone; and does
    `make progress` then show the two attempts, and draw reports/progress.png?"""
    from test_readme import copy_repository, user_env

    repo = copy_repository(tmp_path / "repo")
    env = user_env(tmp_path)
    after_save, shown, servers, _ = watch_session(repo, env)
    lines = [line for line in after_save.splitlines() if line.startswith("  part 1  ")]
    assert len(lines) == 1 and re.fullmatch(
        r"  part 1  PASS   2/2  standardize: standardize_matches_numpy \(\d+\.\d s\)", lines[0].rstrip()), after_save
    assert "Traceback" not in shown and shown.count("syntax error") == 1
    assert servers and not any(alive(pid) for pid in servers), servers
    progress = subprocess.run(["make", "-s", "progress"], cwd=repo, env=env, capture_output=True, text=True,
                              timeout=300)
    assert progress.returncode == 0 and progress.stderr == "", progress.stderr
    rows = re.findall(r"^ +(\d+)  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(\d+)/26", progress.stdout, re.MULTILINE)
    assert rows == [("1", "0"), ("2", "2")], progress.stdout
    assert (repo / "reports" / "progress.png").read_bytes().startswith(b"\x89PNG")
