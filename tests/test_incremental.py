"""Incremental grading is never stale: after one exercise is edited, a grading that reuses the
store reports exactly what a fresh grading reports, check for check (status, points, message,
what it measured, the pictures it drew).

The test process plays `make grade`'s parent: cli.grade with real grading processes forked from
the fork server, once without a store (fresh) and once with the store the reference left
(incremental). Edits come from the banks (tests/wrong_answers/, tests/correct_variants/) and
from the mutation pass (scripts/mutate.py), each pasted over the reference as banks.compose does,
in the reference's own file, as a learner edits theirs. Each part takes one answer of each bank
per exercise (per set of definitions it replaces) and one mutant per exercise: every exercise
edited three ways, in the time CI allows (each case grades its part twice).
"""

import functools
import pathlib
import shutil

import pytest

from autograder.checkkit.registry import PARTS
from autograder.feedback import terminal
from autograder.supervise import cli, reuse, store
from autograder.supervise.part_grading import PartGrading
from materials import banks

pytestmark = pytest.mark.slow


def one_per_exercise(files):
    """The first file (by name) of each set of definitions the files replace."""
    chosen = {}
    for path in files:
        chosen.setdefault(frozenset(banks.defined_names(path)), path)
    return sorted(chosen.values())


def edits():
    cases = []
    for part in PARTS:
        wrong = one_per_exercise(banks.bank(banks.WRONG_ANSWERS, part))
        right = one_per_exercise(banks.bank(banks.CORRECT_VARIANTS, part))
        cases += [pytest.param(part, path, id=f"part{part}-{path.parent.parent.name}-{path.stem}")
                  for path in wrong + right]
        cases += [pytest.param(part, exercise, id=f"part{part}-mutant-{exercise}")
                  for exercise in banks.exercises(part)]
    return cases


@functools.lru_cache(maxsize=None)
def first_mutant(part, exercise):
    from scripts import mutate

    return next(m for m in mutate.mutants_of(part) if m.exercise == exercise).source


def grade(part, folder, reports, kept=None):
    """{check: result} of one part, graded as `make grade` grades it (with a store: `kept`)."""
    gradings = cli.grade([part], folder, reports, 1, None, terminal.Quiet(), kept)
    return {r["name"]: r for r in gradings[part].results}


def comparable(results):
    return {name: (r["status"], r["score"], r["max_score"], r["message"], r.get("measured"), r.get("files", []))
            for name, r in results.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A function giving, per part, a folder whose sub/ holds the reference, graded once with a
    store, a snapshot of that store (snapshot/), and the reference's fresh results."""
    fingerprint, made = store.fingerprint(), {}

    def prepare(part):
        if part not in made:
            folder = tmp_path_factory.mktemp(f"incremental-part{part}")
            (folder / "sub").mkdir()
            shutil.copy(banks.reference_file(part), folder / "sub")
            results = grade(part, folder / "sub", folder / "reports", store.Store(folder / "store", fingerprint))
            assert {r["status"] for r in results.values()} == {"passed"}, results
            shutil.copytree(folder / "store", folder / "snapshot")
            made[part] = (folder, results)
        folder, results = made[part]
        shutil.rmtree(folder / "store")
        shutil.copytree(folder / "snapshot", folder / "store")  # as the reference left it
        shutil.copy(banks.reference_file(part), folder / "sub")  # undo the last test's edit
        return folder, store.Store(folder / "store", fingerprint), results

    return prepare


def learner_file(folder, part, edit):
    """(the reference in folder/sub/ with `edit` pasted over it, the names the edit defines);
    `edit`: a bank file, or an exercise whose first mutant is pasted."""
    if isinstance(edit, pathlib.Path):
        answer = edit
    else:
        answer = folder / "mutant.py"
        answer.write_text(first_mutant(part, edit) + "\n")
    return banks.compose(part, answer, folder / "sub"), banks.defined_names(answer)


@pytest.mark.parametrize("part, edit", edits())
def test_incremental_report_equals_a_fresh_one_after_one_edit(reference, part, edit):
    """With the store the reference left, does grading the reference with one exercise edited
    report what a fresh grading of that file reports, check for check, reusing the checks the
    edit cannot reach and grading the edited exercise's again?"""
    folder, kept, _ = reference(part)
    path, edited = learner_file(folder, part, edit)
    fresh = grade(part, folder / "sub", folder / "reports")
    incremental = grade(part, folder / "sub", folder / "reports", kept)
    assert comparable(incremental) == comparable(fresh)
    wants = reuse.check_parameters(part)
    reached = [name for name, taken in wants.items() if set(taken) & edited and name in incremental]
    assert reached and not any(incremental[name].get("cached") for name in reached)
    made = reuse.plan(kept, part, path, folder / "reports")
    if made.unsure is None and not reuse.import_failed(fresh.values()):
        assert any(r.get("cached") for r in incremental.values()), "nothing was reused"


@pytest.mark.parametrize("kept_check, graded_check", [
    ("compile_and_train_history", "cnn_test_accuracy"),
    ("cnn_test_accuracy", "compile_and_train_history"),
])
def test_a_training_check_graded_alone_matches_its_fresh_outcome(reference, kept_check, graded_check):
    """Part 2's History and accuracy checks share one training run in a grading process. With
    one of them taken as kept (the grading process skips it), does the other, which then trains
    alone, report what it reports in a fresh grading of the whole part?"""
    folder, _, fresh = reference(2)
    grading = PartGrading(2, folder / "sub", folder / "reports")
    grading.reuse(list(fresh.values()), {kept_check: dict(fresh[kept_check], cached=True)})
    grading.grade(alone=True)
    graded = {r["name"]: r for r in grading.results}
    assert not graded[graded_check].get("cached") and graded[kept_check].get("cached")
    assert comparable({graded_check: graded[graded_check]}) == comparable({graded_check: fresh[graded_check]})


def test_a_group_is_kept_or_graded_whole(reference):
    """When one check of a group has no kept outcome (Part 2's accuracy check, say, after it
    timed out), is every check of its group (those taking build_cnn) graded again, and the
    others kept?"""
    folder, kept, fresh = reference(2)
    data = kept.load(2)
    del data["outcomes"]["cnn_test_accuracy"]
    kept.save(2, data["checks"], data["outcomes"])
    made = reuse.plan(kept, 2, folder / "sub" / f"{PARTS[2]}.py", folder / "reports")
    taking_build_cnn = {name for name, taken in reuse.check_parameters(2).items() if "build_cnn" in taken}
    assert set(made.kept) == set(fresh) - taking_build_cnn
