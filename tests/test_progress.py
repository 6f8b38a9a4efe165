"""Feedback while grading runs: each check's line as it finishes, a live line on a terminal, and
time budgets that fit each check, with a hint when one runs out."""

import dataclasses
import io
import json
import math
import os
import re
import select
import subprocess
import sys

import pytest

from autograder.checkkit import budgets, registry
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module
from autograder.feedback import hints, terminal
from conftest import ROOT

PART1_CHECKS = checks_for(1)
STANDARDIZE = next(c for c in PART1_CHECKS if c.exercise == "standardize")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # anything but the newline


def test_every_check_has_a_measured_budget():
    """Has every registered check a measured time, so that its limit is its own budget and not
    the default for checks never measured?"""
    for part in registry.PARTS:
        for graded in checks_for(part):
            measured = budgets.MEASURED.get(budgets.key(part, graded.name, graded.hidden))
            assert measured is not None, (f"part {part}, {graded.name} has no measured time: "
                                          "run scripts/measure_budgets.py")
            assert graded.timeout <= budgets.budget(part, graded.name, graded.hidden)  # a cap only lowers it


def test_budget_is_factor_times_measured_with_floor_and_cap(monkeypatch):
    """Does a budget follow max(floor, factor x measured), rounded up, at most the check's cap,
    and fall back to UNMEASURED_SECONDS for a check never measured?"""
    monkeypatch.setitem(budgets.MEASURED, "part9/quick", 0.01)
    monkeypatch.setitem(budgets.MEASURED, "part9/slow", 4.01)
    assert budgets.budget(9, "quick") == budgets.FLOOR_SECONDS
    assert budgets.budget(9, "slow") == math.ceil(4.01 * budgets.FACTOR)
    assert budgets.budget(9, "slow", cap=30) == min(30, budgets.budget(9, "slow"))
    assert budgets.budget(9, "never_measured") == budgets.UNMEASURED_SECONDS


def test_budgets_never_name_a_hidden_check():
    """Does budgets.py (which releases hand out) list hidden checks without their names?"""
    text = (ROOT / "autograder" / "checkkit" / "budgets.py").read_text()
    hidden = [c for p in registry.PARTS for c in checks_for(p) if c.hidden]
    assert hidden, "no hidden check to look for"
    for graded in hidden:
        assert graded.name not in text
        assert budgets.key(graded.part, graded.name, True) in budgets.MEASURED


def test_every_exercise_has_a_timeout_hint():
    """Does every graded exercise have a hint saying what usually makes its code time out?"""
    for part in registry.PARTS:
        for graded in checks_for(part):
            assert hints.first_hint(hints.TIMEOUT_HINTS, part, [graded.exercise]), (part, graded.exercise)


def test_timeout_turned_into_another_error_is_still_a_timeout(tmp_path):
    """When the alarm goes off inside TensorFlow's C++ code, pybind11 turns the timeout into a
    RuntimeError ("... REPLACED BY CheckTimeout"): is it still reported as a timeout, with the
    exercise's hint, and not as an error of the learner's code?"""
    path = tmp_path / "part1_tf2_basics.py"
    path.write_text((ROOT / "exercises" / path.name).read_text() + (
        "\n\ndef standardize(x, axis=0):\n"
        "    try:\n"
        "        while True:\n"
        "            pass\n"
        "    except BaseException:  # what TensorFlow's bindings do to an exception raised inside\n"
        "        raise RuntimeError('MISMATCH of original and normalized active exception types: '\n"
        "                           'REPLACED BY CheckTimeout') from None\n"))
    module = learner_module.import_part(path, 1)
    status, message = check_runner.run_check(dataclasses.replace(STANDARDIZE, timeout=1), module)
    assert status == "error" and message.startswith("timed out after 1 s while running this check")
    assert message.endswith(hints.TIMEOUT_HINTS[1]["standardize"]) and "your code raised" not in message


def result(name, exercise, status="passed", score=2):
    return {"part": 1, "name": name, "exercise": exercise, "status": status, "score": score,
            "max_score": 2}


def test_plain_reporter_prints_one_clean_line_per_finished_check():
    """Off a terminal, does the reporter print one line per finished check, with its part,
    outcome, points and seconds, and nothing while checks run (no live line, no control
    characters)?"""
    stream = io.StringIO()
    reporter = terminal.Reporter(stream, terminal=False)
    reporter.importing(1, 60)
    reporter.started(1, {"name": "standardize_matches_numpy", "exercise": "standardize"}, 10)
    reporter.phase(1, {"what": "fitting", "step": 1, "total": 2})
    reporter.finished(1, result("standardize_matches_numpy", "standardize"))
    reporter.finished(1, result("cubic_gradients_known_values", "cubic_gradients", "error", 0))
    reporter.close()
    lines = stream.getvalue().splitlines()
    assert re.fullmatch(r"  part 1  PASS   2/2  standardize: standardize_matches_numpy \(\d+\.\d s\)", lines[0])
    assert lines[1] == "  part 1  FAIL   0/2  cubic_gradients: cubic_gradients_known_values"  # never started
    assert len(lines) == 2 and not CONTROL.search(stream.getvalue())


def visible(text):
    """What a terminal shows of `text`, roughly: escape sequences and carriage returns removed."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\r", "", text)


def test_live_line_fits_the_terminal_and_keeps_its_seconds_and_limit():
    """On a terminal 80 columns wide, does a check running past LIVE_AFTER_SECONDS get a live line
    whose phase (stripped of a learner's control characters) is shortened to fit, keeping its
    seconds and where its budget stops it, which the finished line then replaces?"""
    stream = io.StringIO()
    reporter = terminal.Reporter(stream, terminal=True, width=80)
    reporter.started(1, {"name": "train_model_lowers_loss", "exercise": "train_model"}, 21)
    reporter.phase(1, {"what": "training a model with your train_model for many epochs\x1b[2J",
                       "step": 3, "total": 5})
    reporter.activities[1].begin -= terminal.LIVE_AFTER_SECONDS + 3  # as if it began earlier
    reporter.live.refresh()
    shown = visible(stream.getvalue())
    line = next(line for line in shown.splitlines() if line.startswith("part 1, train_model: training"))
    assert len(line.rstrip()) <= 80 and "\u2026" in line  # shortened with an ellipsis
    assert re.search(r"\.\.\. 5 s \(stops at 21 s\)$", line.rstrip()), line
    reporter.finished(1, result("train_model_lowers_loss", "train_model"))
    reporter.close()
    text = stream.getvalue()
    assert "  part 1  PASS   2/2  train_model: train_model_lowers_loss" in visible(text)
    assert "\x1b[2J" not in text


# ---------------------------------------------------------------- as learners run it
def with_cases(tmp_path, *cases, extra=""):
    """The stub with the bad submissions' `cases` pasted over it (tests/bad_submissions)."""
    text = (ROOT / "exercises" / "part1_tf2_basics.py").read_text()
    for case in cases:
        text += "\n\n" + (ROOT / "tests" / "bad_submissions" / f"{case}.py").read_text()
    (tmp_path / "part1_tf2_basics.py").write_text(text + extra)
    return tmp_path


def grade_command(folder, report):
    return [sys.executable, "-m", "autograder", "--part", "1", "--submission", str(folder),
            "--report", str(report)]


@pytest.fixture(scope="module")
def hang_in_python(tmp_path_factory):
    """An endless Python loop in standardize, graded with stdout a pipe, as CI and Gradescope do."""
    folder = with_cases(tmp_path_factory.mktemp("hang"), "hang_in_python")
    result = subprocess.run(grade_command(folder, folder / "r.json"), cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    return result, json.loads((folder / "r.json").read_text())


def standardize_output(report):
    return next(t["output"] for t in report["tests"] if t["name"].endswith(STANDARDIZE.name))


@pytest.mark.slow
def test_hanging_check_ends_at_its_budget_with_its_hint(hang_in_python):
    """Does an endless loop end at the check's own budget (not a flat minute), with the learner's
    line that was running and the exercise's timeout hint?"""
    _, report = hang_in_python
    assert STANDARDIZE.timeout == budgets.budget(1, STANDARDIZE.name) < budgets.UNMEASURED_SECONDS
    output = standardize_output(report)
    assert f"timed out after {STANDARDIZE.timeout:g} s while running this check (line " in output
    assert "of your file: while True:)" in output
    assert output.endswith(f"Hint: the usual cause is {hints.TIMEOUT_HINTS[1]['standardize']}")


@pytest.mark.slow
def test_progress_lines_without_a_terminal(hang_in_python):
    """Without a terminal, is there one plain line per check, in the order graded, before the
    table, with no carriage return or escape code anywhere, and nothing on stderr?"""
    result, _ = hang_in_python
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert not CONTROL.search(result.stdout), repr(result.stdout[:2000])
    lines = result.stdout.splitlines()
    table = lines.index("Part 1 (part1_tf2_basics)")
    progress_lines = [line for line in lines[:table] if line.startswith("  part 1  ")]
    expected = [rf"  part 1  (PASS|FAIL|TODO) +[\d.]+/{c.points:g}  {c.exercise}: {c.name} \([\d.]+ s\)"
                for c in PART1_CHECKS]
    assert len(progress_lines) == len(expected), progress_lines
    for line, pattern in zip(progress_lines, expected):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert progress_lines[0].startswith("  part 1  FAIL   0/2  standardize: ")


@pytest.mark.slow
def test_results_json_keeps_its_shape(hang_in_python):
    """Is results.json the same shape as before progress and budgets (Gradescope's fields, the
    grader's extra_data), for a timed-out check as for the others?"""
    _, report = hang_in_python
    assert set(report) == {"score", "max_score", "output", "tests", "execution_time", "extra_data"}
    assert set(report["extra_data"]) == {"parts", "jobs", "cpus", "memory_limit_mb", "problems", "sandbox", "notes"}
    for test in report["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility", "extra_data"}
        assert set(test["extra_data"]) == {"seconds", "part", "check", "exercise", "status", "message"}
    assert report["extra_data"]["problems"] == {"1": ["timeout"]}


def read_terminal(command, cwd):
    """Run `command` with a pseudo-terminal as its stdout and stderr; all it wrote."""
    master, slave = os.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                               env=dict(os.environ, COLUMNS="200"))
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], 600)
        try:
            chunk = os.read(master, 65536) if ready else b""
        except OSError:  # the other side closed (Linux reports EIO)
            chunk = b""
        if not chunk:
            break
        output += chunk
    os.close(master)
    process.wait(timeout=60)
    return output.decode()


@pytest.mark.slow
def test_terminal_shows_a_live_line_for_a_hang_and_a_slow_check(tmp_path):
    """On a terminal, does a check stuck in a TensorFlow graph show a live line with its seconds
    and where it stops, then its result line and the timeout hint; and does a slow check show the
    phase it reported ("training a model with your train_model")?"""
    slow_train_model = ("\n\ndef train_model(model, x, y, epochs=10):\n"
                        "    import time\n"
                        "    time.sleep(4)  # slow enough for the live line\n"
                        "    raise NotImplementedError('part1: train_model')\n")
    folder = with_cases(tmp_path, "hang_in_tensorflow", extra=slow_train_model)
    output = read_terminal(grade_command(folder, tmp_path / "r.json"), ROOT)
    train_model = next(c for c in PART1_CHECKS if c.exercise == "train_model")
    shown = visible(output)
    assert re.search(rf"part 1, standardize: {STANDARDIZE.name} *\.\.\. \d+ s "
                     rf"\(stops at {STANDARDIZE.timeout:g} s\)", shown), repr(output[:3000])
    assert re.search(rf"  part 1  FAIL   0/2  standardize: {STANDARDIZE.name} ", shown)
    assert re.search(r"part 1, train_model: training a model with your train_model "
                     rf"\(\d+ epochs\) *\.\.\. \d+ s \(stops at {train_model.timeout:g} s\)", shown)
    table = output[output.index("Part 1 (part1_tf2_basics)"):]
    assert "\x1b" not in table and "Total: 0/" in table
    report = json.loads((tmp_path / "r.json").read_text())
    assert standardize_output(report).endswith(hints.TIMEOUT_HINTS[1]["standardize"])



class Stop(Exception):
    """Raised by a stand-in learner function: the long step would start here."""


def stop(*args, **kwargs):
    raise Stop()


def long_steps():
    """(name, call, the phase it should say) for each long step of Parts 2 and 3."""
    from autograder.checkkit import thresholds
    from autograder.checks import part2, part3

    return [
        ("cnn", lambda: part2.train_learner_model(lambda *a: None, stop, 0),
         f"training your CNN with your compile_and_train ({thresholds.CNN_EPOCHS} epochs)"),
        ("pictures", lambda: part2.write_pictures(part2.TrainedRun(None, None, 0.0), [], [[0]]), "drawing your network's pictures"),
        ("head", lambda: part3.train_learner_head(lambda: None, lambda *a, **k: None, stop, 0),
         f"training the head with your train_head ({thresholds.HEAD_EPOCHS} epochs)"),
        ("fine_tune", lambda: part3.fine_tune_accuracies(None, 0),
         f"training after your fine_tune ({thresholds.FINE_TUNE_EPOCHS} epochs)"),
    ]


@pytest.mark.parametrize("step", ["cnn", "pictures", "head", "fine_tune"])
def test_long_steps_of_parts_2_and_3_say_what_they_do(step, monkeypatch):
    """Do the checks' long steps (training the learner's network or head, drawing the pictures,
    training after fine_tune) say what they do on the live line as they start?"""
    from autograder.checkkit import progress
    from autograder.checks import part3
    from coursekit import pictures

    heard = []
    monkeypatch.setattr(progress, "_LISTENERS", [heard.append])
    monkeypatch.setattr(pictures, "sample_grid", stop)
    monkeypatch.setattr(part3, "fine_tuned", lambda *args: (None, None))  # the learner's fine_tune, done
    monkeypatch.setattr(part3, "fit_after_fine_tune", stop)
    _, call, words = next(s for s in long_steps() if s[0] == step)
    with pytest.raises(Stop):
        call()
    assert [record["what"] for record in heard] == [words]
