"""The bank of correct variants: answers written differently from the reference, as learners
write them, must get full marks (issue 13: a structural check that rejects correct code is a bug).

Each file in tests/correct_variants/partN/ holds the definitions it changes; it is graded as the
reference with them pasted over it, on every check whose objects use what it changes (the
other checks run the reference's own code, which test_partN.py grades).
"""

import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from conftest import grade_file
from materials import banks

VARIANTS = [(part, path) for part in registry.PARTS for path in banks.bank(banks.CORRECT_VARIANTS, part)]


@pytest.mark.parametrize("part", list(registry.PARTS))
def test_every_exercise_has_two_correct_variants(part):
    """Does every exercise of the part have at least two correct variants in the bank?"""
    variants = banks.bank(banks.CORRECT_VARIANTS, part)
    counts = {name: sum(name in banks.defined_names(v) for v in variants)
              for name in banks.exercises(part)}
    assert {name: count for name, count in counts.items() if count < 2} == {}


@pytest.mark.slow
@pytest.mark.parametrize("part, variant", VARIANTS, ids=lambda v: getattr(v, "stem", f"part{v}"))
def test_correct_variant_gets_full_marks(part, variant, tmp_path):
    """Does a correct answer written differently from the reference pass every check it touches?"""
    path = banks.compose(part, variant, tmp_path)
    checks = banks.affected_checks(checks_for(part), path.read_text(),
                                   banks.defined_names(variant))
    assert checks, f"{variant.name} changes nothing that a check uses"
    outcomes = grade_file(path, part, checks=checks)
    assert {n: o for n, o in outcomes.items() if o[0] != "passed"} == {}
