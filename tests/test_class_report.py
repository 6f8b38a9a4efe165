"""The class report and the LMS export on a class of 12 built from the banks, Part 1, graded once
by grade-batch: the numbers the banks' declared losses give, the page as a real browser shows it
(Chromium from the distribution, driven by Playwright; a screenshot checked for the plots and the
tables), and the Canvas and Moodle files against their documented headers.

The class: the reference, the stub, six wrong answers (two learners with the same mistake at
different learning rates: the same message once its values are stripped; one with two mistakes),
two correct variants pasted together, a file that does not compile and a learner with no file.
"""

import csv
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from autograder.checks import checks_for
from conftest import ROOT, declared_losses
from materials import banks

pytestmark = pytest.mark.slow

WRONG, VARIANTS = banks.WRONG_ANSWERS / "part1", banks.CORRECT_VARIANTS / "part1"
TINY_RATE = WRONG / "train_model_tiny_learning_rate.py"
CLASS = {  # learner: the bank files pasted over the reference; "stub", "syntax error", "no file"
    "ada": [], "bob": "stub", "cy": [WRONG / "standardize_ignores_axis.py"], "dan": [TINY_RATE],
    "eve": [TINY_RATE], "fay": [WRONG / "dense_layer_transposed_kernel.py"],
    "gil": [WRONG / "collatz_counts_from_one.py"], "hal": [WRONG / "checkpoint_without_optimizer.py"],
    "ivy": [VARIANTS / "standardize_moments.py", VARIANTS / "dense_layer_einsum.py"],
    "kim": [WRONG / "linear_model_constants.py", WRONG / "scaled_row_norms_undecorated.py"],
    "lee": "syntax error", "mo": "no file"}
EVE_RATE = "3e-5"  # eve made dan's mistake with another tiny rate: other numbers, the same sentence
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def hand_in(folder, learner, answer):
    folder.mkdir(parents=True)
    target = folder / "part1_tf2_basics.py"
    if answer == "stub":
        shutil.copy(ROOT / "exercises" / "part1_tf2_basics.py", target)
    elif answer == "syntax error":
        shutil.copy(ROOT / "tests" / "bad_submissions" / "syntax_error.py", target)
    elif answer == "no file":
        (folder / "notes.txt").write_text("I will hand it in next week\n")
    else:
        text = banks.reference_file(1).read_text()
        for path in answer:
            pasted = path.read_text()
            if learner == "eve":
                pasted = pasted.replace("learning_rate=1e-4", f"learning_rate={EVE_RATE}")
            text += "\n\n# ---- the learner's version of what follows ----\n" + pasted
        target.write_text(text)


def lost_checks(answer):
    """The checks the banks say this learner loses."""
    if isinstance(answer, str):  # the stub, a file that does not compile, no file: every check
        return {c.name for c in checks_for(1)}
    return set().union(set(), *(declared_losses(path) for path in answer if path.parent == WRONG))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """(submissions, grade-batch's results folder) of the class, graded once."""
    base = tmp_path_factory.mktemp("class-of-12")
    for learner, answer in CLASS.items():
        hand_in(base / "submissions" / learner, learner, answer)
    assert "learning_rate=1e-4" in TINY_RATE.read_text()
    result = subprocess.run([sys.executable, "-m", "classroom.batch", str(base / "submissions"), "--part", "1",
                             "--jobs", "2", "--out", str(base / "batch")], cwd=ROOT, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "submissions", base / "batch"


def class_report(*args):
    result = subprocess.run([sys.executable, "-m", "classroom.review.class_report", *map(str, args)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def report(graded_class, tmp_path_factory):
    """(the report's folder, its class.json, what the terminal showed)."""
    _, batch = graded_class
    out = tmp_path_factory.mktemp("report") / "class"
    output = class_report("--from", "batch", "--results", batch, "--out", out)
    return out, json.loads((out / "class.json").read_text()), output


def expected_points():
    """{learner: {check: points}} as the banks' declared losses and the registry's points give."""
    checks = checks_for(1)
    return {learner: {c.name: 0 if c.name in lost_checks(answer) else c.points for c in checks}
            for learner, answer in CLASS.items()}


def test_each_check_counts_what_the_banks_declare(report):
    """Does each check's row give the passes, mean points and discrimination (the correlation of its
    points with the total without them) that the banks' declared losses give?"""
    _, numbers, _ = report
    points = expected_points()
    learners = sorted(points)
    rows = {row["check"]: row for row in numbers["checks"]}
    assert list(rows) == [c.name for c in checks_for(1)]
    totals = np.array([sum(points[learner].values()) for learner in learners])
    for check in rows:
        mine = np.array([points[learner][check] for learner in learners])
        row = rows[check]
        assert (row["graded"], row["passed"]) == (12, int(sum(mine == mine.max()))), check
        assert row["mean_points"] == pytest.approx(mine.mean())
        rest = totals - mine
        expected = None if np.ptp(mine) == 0 or np.ptp(rest) == 0 else np.corrcoef(mine, rest)[0, 1]
        assert row["discrimination"] == pytest.approx(expected), check


def test_each_learner_has_the_total_and_problems_of_what_they_handed_in(report, graded_class):
    """Does every learner's row give the bank's total, grade-batch's problem and their lost checks?"""
    _, numbers, _ = report
    _, batch = graded_class
    rows = {row["name"]: row for row in numbers["learners"]}
    points = expected_points()
    assert {name: row["total"] for name, row in rows.items()} == {
        name: sum(p.values()) for name, p in points.items()}
    with open(batch / "grades.csv", newline="") as stream:
        problems = {row["learner"]: row["problem"] for row in csv.DictReader(stream)}
    assert {name: "; ".join(row["problems"]) for name, row in rows.items()} == problems
    assert problems["lee"] == "part 1: syntax error" and problems["mo"] == "part 1: no file"
    assert rows["mo"]["by_part"] == {"1": None} and rows["lee"]["by_part"] == {"1": 0}
    assert {name: {lost.split(" / ")[1] for lost in row["lost"]} for name, row in rows.items()} == {
        name: lost_checks(answer) for name, answer in CLASS.items()}


def test_one_mistake_at_two_rates_is_one_message(report, graded_class):
    """Are dan's and eve's messages (the same mistake, other numbers) one group of two once their
    values are stripped, and does the group keep one of them whole?"""
    _, numbers, _ = report
    _, batch = graded_class
    said = {learner: next(t["extra_data"]["message"] for t in json.loads((batch / learner / "results.json").read_text())["tests"]
                          if t["extra_data"]["check"] == "train_model_lowers_loss") for learner in ("dan", "eve")}
    assert said["dan"] != said["eve"]
    row = next(row for row in numbers["checks"] if row["check"] == "train_model_lowers_loss")
    groups = {tuple(sorted(group["learners"])): group for group in row["failures"]}
    assert ("dan", "eve") in groups and groups["dan", "eve"]["example"] in said.values()
    assert "#" in groups["dan", "eve"]["said"] and not any(ch.isdigit() for ch in groups["dan", "eve"]["said"].split("Hint")[0])


def test_terminal_summary_and_measured_values(report):
    """Does the terminal say the class's size and median and where the page is, and does the page's
    data hold each value Part 1's checks measured, one per learner who got that far?"""
    out, numbers, output = report
    totals = sorted(sum(p.values()) for p in expected_points().values())
    assert output.splitlines()[0].startswith(f"Class of 12 learners (grade-batch results in ")
    assert f"median {np.median(totals):g}/26" in output.splitlines()[0]
    assert f"Report: {out / 'index.html'}" in output
    series = {(s["check"], s["label"]): s for s in numbers["measured"]}
    assert set(series) == {("fit_linear_recovers_parameters", "largest |error| in (w, b)"),
                           ("train_model_lowers_loss", "MSE after / before")}
    trained = {learner for learner, _ in series["train_model_lowers_loss", "MSE after / before"]["values"]}
    assert trained == {name for name, answer in CLASS.items() if not isinstance(answer, str)}


def chromium_or_skip():
    """The Chromium to drive; the test is skipped, saying why, where there is none."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the Python package playwright is not installed (requirements.txt pins it)")
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if not found:
        pytest.skip("no Chromium on this machine: install the distribution's package (Debian: apt-get "
                    "install chromium; .ci/run does it when it runs as root) to run the browser test")
    return found


def colours_in(image, box):
    """The set of RGB colours inside a bounding box of a screenshot."""
    crop = image.convert("RGB").crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                      int(box["y"] + box["height"])))
    return {colour for _, colour in crop.getcolors(maxcolors=1 << 20)}


def hex_colour(code):
    return tuple(int(code[i:i + 2], 16) for i in (1, 3, 5))


def test_page_shows_its_plots_and_tables_in_a_browser(report, tmp_path):
    """In headless Chromium, does the page show every plot (decoded), the checks' table with a row
    per check and the learners' table with a row per learner, and does a screenshot of it hold
    the plots' colours where the plots are and the tables' text where the tables are?"""
    chromium = chromium_or_skip()
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from classroom.review import plots

    out, _, _ = report
    shot = tmp_path / "class_report.png"
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "index.html").as_uri())
        for plot in ("totals-plot", "pass-rate-plot", "measured-plot"):
            assert page.eval_on_selector(f"#{plot}", "img => img.complete && img.naturalWidth > 0"), plot
        assert page.locator("#checks-table tbody tr").count() == len(checks_for(1))
        assert page.locator("#learners-table tbody tr").count() == len(CLASS)
        assert "Class of 12 learners" in page.inner_text("#summary")
        assert "part 1 / standardize: standardize_matches_numpy" in page.inner_text("#checks-table")
        boxes = {name: page.locator(f"#{name}").bounding_box()
                 for name in ("totals-plot", "pass-rate-plot", "checks-table", "learners-table")}
        page.screenshot(path=shot, full_page=True)
        if os.environ.get("CLASS_REPORT_SCREENSHOT"):  # README's picture: the top of the page
            page.set_viewport_size({"width": 1280, "height": 1400})
            page.screenshot(path=os.environ["CLASS_REPORT_SCREENSHOT"])
        browser.close()
    image = Image.open(shot)
    assert colours_in(image, boxes["totals-plot"]) >= {hex_colour("#3f6fb5")}
    assert colours_in(image, boxes["pass-rate-plot"]) >= {hex_colour(plots.PASS_COLOUR), hex_colour(plots.FAIL_COLOUR)}
    for table in ("checks-table", "learners-table"):
        seen = colours_in(image, boxes[table])
        assert hex_colour("#eef1f5") in seen  # the header row
        assert any(max(colour) < 80 for colour in seen), table  # dark text


# ---------------------------------------------------------------- the LMS files
def export_lms(lms, batch, out, *options):
    result = subprocess.run([sys.executable, "-m", "classroom.review.lms_export", "--lms", lms, "--from", "batch",
                             "--results", str(batch), "--out", str(out), *options],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    with open(out, newline="", encoding="utf-8") as stream:
        return result.stdout, list(csv.reader(stream))


def test_canvas_file_has_canvas_columns_and_an_empty_cell_for_no_file(graded_class, tmp_path):
    """Does the Canvas file start with the columns Canvas's gradebook import documents (Student, ID,
    SIS User ID, SIS Login ID, Section), then a column per part and the Points Possible row, the
    learner's id as SIS Login ID, and an empty cell, not 0, for the learner with no file?"""
    _, batch = graded_class
    output, rows = export_lms("canvas", batch, tmp_path / "canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Part 1: tf2 basics"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "26"]
    points = expected_points()
    by_login = {row[3]: row for row in rows[2:]}
    assert sorted(by_login) == sorted(CLASS)
    assert {login: row[5] for login, row in by_login.items()} == {
        name: "" if name == "mo" else f"{sum(p.values()):g}" for name, p in points.items()}
    assert "1 parts not handed in: empty" in output


def test_moodle_file_has_moodle_columns_and_zero_only_when_asked(graded_class, tmp_path):
    """Does the Moodle file start with the user columns of Moodle's own grade export (First name,
    Last name, ID number, Email address), then a column per part; an empty cell for no file, and
    0 with --zero-missing?"""
    _, batch = graded_class
    _, rows = export_lms("moodle", batch, tmp_path / "moodle.csv")
    assert rows[0] == ["First name", "Last name", "ID number", "Email address", "Part 1: tf2 basics"]
    assert {row[2]: row[4] for row in rows[1:]}["mo"] == ""
    output, zeroed = export_lms("moodle", batch, tmp_path / "moodle-zero.csv", "--zero-missing")
    assert {row[2]: row[4] for row in zeroed[1:]}["mo"] == "0" and "1 parts not handed in: 0" in output
    assert [row[:4] + row[5:] for row in zeroed] == [row[:4] + row[5:] for row in rows]
