"""Shared fixtures: TensorFlow imported once, and grading of a file inside this process.

Grading in-process is how the bank of wrong answers stays fast (one TensorFlow import for all of
them); tests/test_grade_command.py grades in subprocesses exactly as a learner runs it.
"""

import pathlib
import re

import pytest

from autograder import environment, grading, registry, submission

ROOT = pathlib.Path(__file__).resolve().parent.parent
WRONG_ANSWERS = ROOT / "tests" / "wrong_answers"


@pytest.fixture(scope="session", autouse=True)
def tf():
    return environment.quiet_tensorflow()


def grade_file(path, part, seed=environment.SEED):
    """{check name: (status, message)} for the learner file at `path`, graded in this process
    from the grader's `seed` (the one `make grade` uses unless a test picks another)."""
    try:
        module = submission.import_part(path, part)
    except submission.SubmissionError as error:
        return {c.name: ("error", str(error)) for c in registry.checks_for(part)}
    return {c.name: grading.run_check(c, module, seed=seed) for c in registry.checks_for(part)}


def reference_file(part):
    return ROOT / "solutions" / f"{registry.PARTS[part]}.py"


def with_mistake(tmp_path, part, mistake):
    """A learner's file: the reference with the definitions of `mistake` pasted over it."""
    path = tmp_path / f"{registry.PARTS[part]}.py"
    path.write_text(reference_file(part).read_text()
                    + "\n\n# ---- the learner's version of what follows ----\n"
                    + mistake.read_text())
    return path


def declared_losses(mistake):
    """The check names after 'loses:' in a wrong answer's docstring."""
    match = re.search(r"^loses: (.+)$", mistake.read_text(), re.MULTILINE)
    assert match, f"{mistake.name} has no 'loses:' line"
    return set(match.group(1).split())


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
    assert {c.name for c in registry.checks_for(part)} <= caught


def assert_loses_exactly_declared(tmp_path, part, mistake):
    outcomes = grade_file(with_mistake(tmp_path, part, mistake), part)
    lost = {name for name, (status, _) in outcomes.items() if status != "passed"}
    assert lost == declared_losses(mistake), {n: outcomes[n] for n in lost}
    for name in lost:
        status, message = outcomes[name]
        assert status in ("failed", "error") and message, (name, status, message)
