"""Shared fixtures: TensorFlow imported once, and grading of a file inside this process.

Grading in-process is how the bank of wrong answers stays fast (one TensorFlow import for all of
them); tests/test_grade_command.py grades in subprocesses exactly as a learner runs it.
"""

import contextlib
import os
import pathlib
import signal
import threading

import pytest

from autograder.checkkit import environment, registry
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module
from materials import banks

ROOT = banks.ROOT
WRONG_ANSWERS = banks.WRONG_ANSWERS
reference_file = banks.reference_file
declared_losses = banks.declared_losses


@pytest.fixture(scope="session", autouse=True)
def tf():
    return environment.quiet_tensorflow()


def grade_file(path, part, seed=environment.SEED, checks=None):
    """{check name: (status, message)} for the learner file at `path`, graded in this process
    from the grader's `seed` (the one `make grade` uses unless a test picks another); `checks`:
    only these (default: all the part's)."""
    checks = checks_for(part) if checks is None else checks
    try:
        module = learner_module.import_part(path, part)
    except learner_module.SubmissionError as error:
        return {c.name: ("error", str(error)) for c in checks}
    return {c.name: check_runner.run_check(c, module, seed=seed) for c in checks}


def with_mistake(tmp_path, part, mistake):
    """A learner's file: the reference with the definitions of `mistake` pasted over it."""
    return banks.compose(part, mistake, tmp_path)


# The four questions every part's tests ask, answered once.
def assert_reference_passes(part, seed=environment.SEED):
    outcomes = grade_file(reference_file(part), part, seed=seed)
    assert {name: status for name, (status, _) in outcomes.items()} == {
        name: "passed" for name in outcomes}, outcomes


def assert_stub_not_attempted(part):
    outcomes = grade_file(ROOT / "exercises" / f"{registry.PARTS[part]}.py", part)
    assert set(outcomes.values()) == {("not attempted", "not attempted yet")}, outcomes


def assert_every_check_caught(part, mistakes):
    caught = set().union(*(declared_losses(m) for m in mistakes))
    assert {c.name for c in checks_for(part)} <= caught


def assert_loses_exactly_declared(tmp_path, part, mistake):
    outcomes = grade_file(with_mistake(tmp_path, part, mistake), part)
    lost = {name for name, (status, _) in outcomes.items() if status != "passed"}
    declared = declared_losses(mistake)  # lost everywhere; `may also lose:` only on some CPUs
    assert declared <= lost <= declared | banks.possible_losses(mistake), {n: outcomes[n] for n in lost}
    for name in lost:
        status, message = outcomes[name]
        assert status in ("failed", "error") and message, (name, status, message)


# Machinery that dies mid-grading (the out-of-memory killer picking a warm grader, a Dask worker
# or the fork server): the sandbox keeps learner code from killing any of them, so the tests
# play the killer. The learner's code names its own process (prctl PR_SET_NAME, which the
# sandbox allows) and waits; the test finds the process by that name and kills above it.
def names_itself(name, wait=60):
    """Learner code that names its process `name` (15 characters at most), then waits `wait` s."""
    assert len(name) <= 15, name
    return (f"\nimport ctypes as _ctypes, time as _time\n"
            f"_ctypes.CDLL(None).prctl(15, {name!r}.encode(), 0, 0, 0)  # PR_SET_NAME\n"
            f"_time.sleep({wait})\n")


def parent_of(pid):
    return int(pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def processes_named(name):
    """The pids of the processes whose name (/proc/PID/comm) is `name`."""
    found = []
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "comm").read_text().strip() == name:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def ancestor_running(pid, word):
    """The nearest ancestor of `pid` whose command line holds `word`, or None."""
    while pid > 1:
        pid = parent_of(pid)
        if word.encode() in pathlib.Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    return None


@contextlib.contextmanager
def killing_above(name, word, its_parent=False):
    """While the block runs, SIGKILL the ancestor running `word` (its parent with `its_parent`)
    of every process that names itself `name`, once per such process; yields the pids killed."""
    killed, handled, stop = [], set(), threading.Event()

    def watch():
        while not stop.wait(0.1):
            for pid in set(processes_named(name)) - handled:
                handled.add(pid)
                try:
                    target = ancestor_running(pid, word)
                    if target is not None:
                        target = parent_of(target) if its_parent else target
                        os.kill(target, signal.SIGKILL)
                        killed.append(target)
                except (OSError, ValueError, IndexError):
                    continue  # it ended meanwhile

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield killed
    finally:
        stop.set()
        watcher.join()
