"""Part 1 graded as it should be: the reference, the untouched stub, and every wrong answer."""

import pytest

from autograder import registry
from conftest import ROOT, WRONG_ANSWERS, declared_losses, grade_file, reference_file, with_mistake

PART = 1
MISTAKES = sorted((WRONG_ANSWERS / "part1").glob("*.py"))


def test_reference_gets_full_marks():
    """Does the reference solution pass every Part 1 check?"""
    outcomes = grade_file(reference_file(PART), PART)
    assert {name: status for name, (status, _) in outcomes.items()} == {
        name: "passed" for name in outcomes}, outcomes


def test_stub_is_not_attempted():
    """Does the untouched stub fail every check with 'not attempted yet'?"""
    outcomes = grade_file(ROOT / "exercises" / f"{registry.PARTS[PART]}.py", PART)
    assert set(outcomes.values()) == {("not attempted", "not attempted yet")}


def test_every_check_has_a_wrong_answer():
    """Is every Part 1 check failed by at least one wrong answer in the bank?"""
    caught = set().union(*(declared_losses(m) for m in MISTAKES))
    assert {c.name for c in registry.checks_for(PART)} <= caught


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda p: p.stem)
def test_wrong_answer_loses_exactly_its_checks(mistake, tmp_path):
    """Does each realistic mistake lose exactly the checks it should, with feedback, and no others?"""
    outcomes = grade_file(with_mistake(tmp_path, PART, mistake), PART)
    lost = {name for name, (status, _) in outcomes.items() if status != "passed"}
    assert lost == declared_losses(mistake), {n: outcomes[n] for n in lost}
    for name in lost:
        status, message = outcomes[name]
        assert status in ("failed", "error") and message, (name, status, message)
