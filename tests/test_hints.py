"""Hints in levels (issue 20, item 4): a failure shows hint 1; `make hint EX=<exercise>` shows
hint 2, the cause read from the learner's latest result, then hint 3, the approach, then says
there are no more; each hint taken is recorded in reports/attempts.jsonl. No hint text states a
solution (handout/leaks.py's finder reads them all)."""

import ast
import json
import os
import subprocess
import sys
import time

import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module
from autograder.feedback import attempts, hint, hint_levels, hints, known_errors, report
from conftest import ROOT, WRONG_ANSWERS, with_mistake
from handout.helpers import hidden_check_names
from handout.leaks import find_leaks_in_text
from materials import banks


def every_hint_text():
    """Every text a learner may read as a hint: the levels, the catalogue, the hints of errors and
    timeouts, and every string of the checks (their hints and messages)."""
    texts = []
    for part in hint_levels.LEVELS.values():
        for levels in part.values():
            texts += [levels.cause, levels.approach, *(text for _, text in levels.causes)]
    texts += [t for known in known_errors.CATALOGUE for t in (known.sentence, known.more)]
    texts += [t for table in (hints.ERROR_HINTS, hints.TIMEOUT_HINTS) for part in table.values()
              for t in part.values()]
    for path in [*sorted((ROOT / "autograder" / "checks").glob("part*.py")),
                 ROOT / "autograder" / "checkkit" / "tf_inspect.py"]:
        texts += [node.value for node in ast.walk(ast.parse(path.read_text()))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return texts


def grade_into_report(tmp_path, part, mistake, exercise):
    """reports/results.json as `make grade` writes it, for the checks of `exercise` on the bank's
    wrong answer `mistake`, graded in this process; returns the reports folder."""
    path = with_mistake(tmp_path, part, WRONG_ANSWERS / f"part{part}" / mistake)
    module = learner_module.import_part(path, part)
    results = []
    for graded in checks_for(part):
        if graded.exercise == exercise or graded.name in hint_levels.LEVELS[part][exercise].checks:
            status, message = check_runner.run_check(graded, module)
            results.append({"part": part, "name": graded.name, "exercise": graded.exercise,
                            "summary": graded.summary, "score": 0, "max_score": graded.points,
                            "hidden": graded.hidden, "status": status, "message": message})
    reports = tmp_path / "reports"
    report.write_results(reports / "results.json", results)
    return reports


def ask(reports, exercise, capsys, *more):
    """`make hint EX=<exercise>` in a repository whose reports are `reports`: (status, output)."""
    capsys.readouterr()  # what grading printed before (the learner's file prints at import)
    status = hint.main(["--exercise", exercise, "--reports", str(reports), *more])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_every_exercise_has_levels_two_and_three():
    """Does every exercise of every part (the reference's solution regions) have a cause and an
    approach, and nothing else have them?"""
    assert set(hint_levels.LEVELS) == set(registry.PARTS)
    for part in registry.PARTS:
        assert list(hint_levels.LEVELS[part]) == banks.exercises(part), part
        for exercise, levels in hint_levels.LEVELS[part].items():
            assert len(levels.cause) > 80 and len(levels.approach) > 60, (part, exercise)
            assert levels.cause != levels.approach


def test_no_hint_states_a_solution():
    """Does the leak finder, which does catch the answer's code in prose, find no statement of a
    solution (nor a value one assigns) in any hint, level or check's text?"""
    assert find_leaks_in_text(["the loss is tf.reduce_mean(tf.square(model(x) - y))"])
    assert find_leaks_in_text(every_hint_text()) == []


def test_no_hint_names_a_hidden_check():
    """Do the hint texts leave the hidden checks unnamed (learners get them)?"""
    names = [n for found in hidden_check_names(ROOT).values() for n in found]
    names += [n.removeprefix("check_") for n in names]
    for levels in (v for part in hint_levels.LEVELS.values() for v in part.values()):
        text = " ".join([levels.cause, levels.approach, *levels.checks, *(t for _, t in levels.causes)])
        assert not [n for n in names if n in text], text


def test_levels_come_in_order_then_run_out(tmp_path, capsys):
    """After grading a loss computed outside the tape: is hint 2 the cause of that very error (the
    catalogue's explanation), hint 3 the approach, then "no more hints", each hint recorded once?"""
    reports = grade_into_report(tmp_path, 1, "fit_linear_loss_outside_tape.py", "fit_linear")
    status, output = ask(reports, "fit_linear", capsys)
    assert status == 0 and output.startswith(
        "part 1, fit_linear: hint 2 of 3, the cause, from your latest grading (check "
        "fit_linear_recovers_parameters):"), output
    no_gradients = next(k for k in known_errors.CATALOGUE if k.name == "no gradients")
    assert " ".join(output.split()).find(no_gradients.more[1:60]) > 0, output
    status, output = ask(reports, "fit_linear", capsys)
    assert status == 0 and output.startswith("part 1, fit_linear: hint 3 of 3, the approach"), output
    assert " ".join(output.split()).find(hint_levels.LEVELS[1]["fit_linear"].approach[1:60]) > 0
    status, output = ask(reports, "fit_linear", capsys, "--part", "1")
    assert status == 0 and output.startswith("part 1, fit_linear: no more hints"), output
    records = attempts.read(reports)
    assert [(r["kind"], r["part"], r["exercise"], r["level"]) for r in records] == [
        ("hint", 1, "fit_linear", 2), ("hint", 1, "fit_linear", 3)]
    assert all(r["time"].endswith("Z") for r in records)


def test_a_new_grading_starts_the_levels_again(tmp_path, capsys):
    """Once every level is taken, does a new grading of the part (a "grade" record in the log, or
    a results.json written later) start again from hint 2, while another part's does not?"""
    reports = tmp_path / "reports"
    for _ in range(2):
        ask(reports, "standardize", capsys)
    attempts.append(reports, {"kind": "grade", "part": 2, "score": 0, "max_score": 1})
    assert "no more hints" in ask(reports, "standardize", capsys)[1]
    attempts.append(reports, {"kind": "grade", "part": 1, "score": 0, "max_score": 1})
    assert "hint 2 of 3" in ask(reports, "standardize", capsys)[1]
    assert "hint 3 of 3" in ask(reports, "standardize", capsys)[1]
    report.write_results(reports / "results.json", [{
        "part": 1, "name": "standardize_matches_numpy", "exercise": "standardize", "summary": "",
        "score": 0, "max_score": 2, "hidden": False, "status": "failed", "message": "wrong."}])
    later = time.time() + 5  # graded after the hints above
    os.utime(reports / "results.json", (later, later))
    assert "hint 2 of 3" in ask(reports, "standardize", capsys)[1]


def test_both_trace_causes_are_hint_two(tmp_path, capsys):
    """3 traces from a fresh optimizer and no signature: does hint 2 explain both causes?"""
    reports = grade_into_report(tmp_path, 2, "train_step_no_signature_optimizer_not_built.py",
                                "make_train_step")
    status, output = ask(reports, "make_train_step", capsys)
    text = " ".join(output.split())
    assert status == 0 and "(check train_step_traces_once)" in text, output
    assert "Two causes, both to fix." in text and "Build the optimizer" in text and "input_signature" in text


def test_restore_that_never_restores_is_explained(tmp_path, capsys):
    """restore_latest is graded by a check of make_checkpoint_manager: does its hint 2 still read
    that check's result and say that a path alone restores nothing?"""
    reports = grade_into_report(tmp_path, 1, "restore_latest_never_restores.py", "restore_latest")
    status, output = ask(reports, "restore_latest", capsys)
    assert status == 0 and "(check checkpoint_restores_latest)" in output
    assert "a path is only a name" in " ".join(output.split()), output


def test_without_a_grading_hint_two_gives_the_usual_causes(tmp_path, capsys):
    """With no results.json, or one of another part, is hint 2 the exercise's usual causes, saying
    how to get hint 1?"""
    status, output = ask(tmp_path / "reports", "make_dataset", capsys)
    assert status == 0 and "hint 2 of 3, the cause, its usual causes: no grading of it yet" in output
    assert "`make grade PART=2`" in output
    assert " ".join(output.split()).find(hint_levels.LEVELS[2]["make_dataset"].cause[1:60]) > 0


def test_a_passed_exercise_needs_no_hint(tmp_path, capsys):
    """When every check of the exercise passed in the latest grading, is no hint shown or
    recorded?"""
    reports = tmp_path / "reports"
    report.write_results(reports / "results.json", [{
        "part": 3, "name": "extract_features_in_inference_mode", "exercise": "extract_features",
        "summary": "", "score": 1, "max_score": 1, "hidden": False, "status": "passed", "message": ""}])
    status, output = ask(reports, "extract_features", capsys)
    assert status == 0 and "every check passed in your latest grading" in output
    assert attempts.read(reports) == []


@pytest.mark.parametrize("arguments, says", [
    ([], "which exercise? e.g. `make hint EX=fit_linear`"),
    (["--exercise", "fit_linaer"], "no exercise 'fit_linaer' in the course (exercises of part 1: "),
    (["--exercise", "fit_linear", "--part", "2"], "no exercise 'fit_linear' in part 2 (exercises of part 2: preprocess"),
    (["--exercise", "fit_linear", "--part", "9"], "no part 9; the course has parts [1, 2, 3]"),
])
def test_a_wrong_exercise_or_part_is_refused(tmp_path, capsys, arguments, says):
    """Is an unknown or missing exercise, or a part without it, refused with one line saying what
    exists, exit status 2, and nothing recorded?"""
    status = hint.main([*arguments, "--reports", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 2 and says in captured.err and captured.out == ""
    assert attempts.read(tmp_path) == []


def test_make_hint_imports_no_tensorflow(tmp_path):
    """Does `python -m autograder.feedback.hint` run without importing TensorFlow (it is a quick
    command in the learner's repository)?"""
    code = ("import sys, runpy; sys.argv = ['hint', '--exercise', 'standardize', '--reports', sys.argv[1]]\n"
            "try:\n    runpy.run_module('autograder.feedback.hint', run_name='__main__')\n"
            "except SystemExit as done:\n    assert done.code == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert result.returncode == 0 and result.stdout.strip().endswith("[]"), result.stdout + result.stderr
    assert "hint 2 of 3" in result.stdout


def test_attempt_log_appends_lines_and_reads_them_back(tmp_path):
    """Does append create the folder, add the time when absent (keeping one given), write one line
    per record, and read give them back in order, skipping lines that are not JSON objects?"""
    reports = tmp_path / "new" / "reports"
    written = attempts.append(reports, {"kind": "hint", "part": 1, "exercise": "standardize", "level": 2})
    assert written["time"].endswith("Z") and written["kind"] == "hint"
    attempts.append(reports, {"time": "2026-01-01T00:00:00+00:00", "kind": "grade", "part": 1})
    with open(reports / "attempts.jsonl", "a") as log:
        log.write('{"kind": "hint", "part"\n[1, 2]\n')  # a line cut short, and a list
    attempts.append(reports, {"kind": "hint", "part": 2, "exercise": "preprocess", "level": 3})
    lines = (reports / "attempts.jsonl").read_text().splitlines()
    assert len(lines) == 5 and json.loads(lines[1])["time"] == "2026-01-01T00:00:00+00:00"
    assert [r["kind"] for r in attempts.read(reports)] == ["hint", "grade", "hint"]
    assert attempts.read(tmp_path / "nowhere") == []
