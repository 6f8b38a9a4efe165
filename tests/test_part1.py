"""Part 1 graded as it should be: the reference, the untouched stub, and every wrong answer."""

import pytest

from conftest import (
    WRONG_ANSWERS,
    assert_every_check_caught,
    assert_loses_exactly_declared,
    assert_reference_passes,
    assert_stub_not_attempted,
)

PART = 1
MISTAKES = sorted((WRONG_ANSWERS / "part1").glob("*.py"))


def test_reference_gets_full_marks():
    """Does the reference solution pass every Part 1 check?"""
    assert_reference_passes(PART)


def test_stub_is_not_attempted():
    """Does the untouched stub fail every check with 'not attempted yet'?"""
    assert_stub_not_attempted(PART)


def test_every_check_has_a_wrong_answer():
    """Is every Part 1 check failed by at least one wrong answer in the bank?"""
    assert_every_check_caught(PART, MISTAKES)


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda p: p.stem)
def test_wrong_answer_loses_exactly_its_checks(mistake, tmp_path):
    """Does each realistic mistake lose exactly the checks it should, with feedback, and no others?"""
    assert_loses_exactly_declared(tmp_path, PART, mistake)
