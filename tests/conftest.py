"""Shared fixtures: TensorFlow imported once, and grading of a file inside this process.

Grading in-process is how the bank of wrong answers stays fast (one TensorFlow import for all of
them); tests/test_grade_command.py grades in subprocesses exactly as a learner runs it.
"""

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


def warm_grader_killer(its_parent=False):
    """Learner code that SIGKILLs the warm grader grading it (classroom/warm_grader.py), or with
    `its_parent` the process that started that grader (a Dask worker)."""
    target = "_parent(_pid)" if its_parent else "_pid"
    return f"""
# ---- kills {"the process that started " if its_parent else ""}the warm grader above this process
import os, pathlib, signal

def _parent(pid):
    return int(pathlib.Path(f"/proc/{{pid}}/stat").read_text().rsplit(")", 1)[1].split()[1])

_pid = os.getpid()
while _pid > 1 and b"classroom.warm_grader" not in pathlib.Path(f"/proc/{{_pid}}/cmdline").read_bytes():
    _pid = _parent(_pid)
if _pid > 1:
    os.kill({target}, signal.SIGKILL)
"""
