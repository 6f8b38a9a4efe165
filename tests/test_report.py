"""The learner's table: one reason per broken part, the numbers a pass measured, the pictures."""

import os

from autograder.feedback import report


def result(name, status="passed", message="", part=1, exercise="standardize", **extra):
    return {"part": part, "name": name, "exercise": exercise, "summary": "Check that it works.",
            "score": 2 if status == "passed" else 0, "max_score": 2, "hidden": False,
            "status": status, "message": message, "duration": 0.1, **extra}


def test_a_part_that_cannot_be_imported_gets_one_message():
    """Is a reason that every check of a part shares printed once, above the part's checks, and
    kept in every entry of results.json?"""
    reason = "your file has a syntax error at line 6: invalid syntax (def f(). Fix it."
    results = [result(name, "error", f"part 1, {exercise}: {reason}", exercise=exercise)
               for name, exercise in [("a_works", "standardize"), ("b_works", "fit_linear"),
                                      ("c_works", "fit_linear")]]
    table = report.format_table(results)
    assert " ".join(table.split()).count(reason) == 1
    lines = table.splitlines()
    assert lines[1].startswith("  part 1, all 3 checks: your file has a syntax error at line 6")
    assert [line for line in lines if line.startswith("  FAIL")] == [
        "  FAIL     0/2  standardize: a_works", "  FAIL     0/2  fit_linear: b_works",
        "  FAIL     0/2  fit_linear: c_works"]
    outputs = [t["output"] for t in report.gradescope_results(results)["tests"]]
    assert all(reason in output for output in outputs)


def test_different_reasons_and_untouched_stubs_stay_per_check():
    """Are messages that differ, and the stub's 'not attempted yet', shown under each check?"""
    stub = [result(n, "not attempted", "part 1, standardize: not attempted yet") for n in "ab"]
    assert report.format_table(stub).count("not attempted yet") == 2
    mixed = [result("a", "error", "part 1, standardize: timed out after 60 s"),
             result("b", "error", "part 1, standardize: your code raised ValueError: no")]
    table = report.format_table(mixed)
    assert "all 2 checks" not in table and "timed out" in table and "ValueError" in table


def test_a_pass_shows_what_it_measured():
    """Does a passing check that measured something show the value beside its threshold?"""
    accuracy = [{"what": "build_cnn + compile_and_train: held-out accuracy", "value": 0.98056,
                 "threshold": 0.92, "at_most": False}]
    errors = [{"what": "fit_linear: largest |error|", "value": v, "threshold": 0.05, "at_most": True}
              for v in (0.0088, 0.014)]
    table = report.format_table([result("a", measured=accuracy), result("b", measured=errors),
                                 result("c", "failed", "part 1, standardize: x should be 1, got 2.",
                                        measured=accuracy)])
    lines = table.splitlines()
    assert lines[2] == " " * 15 + "held-out accuracy 0.981 (needs at least 0.92)"
    assert lines[4] == " " * 15 + "largest |error| 0.0088, 0.014 (needs at most 0.05)"
    assert table.count("held-out accuracy") == 1  # a failure's message says it already


def test_pictures_are_named_where_the_learner_finds_them(tmp_path, monkeypatch):
    """Are the pictures a check drew listed under it, relative to the learner's folder, and in
    results.json by name alone (no grader's folder in what Gradescope shows)?"""
    monkeypatch.chdir(tmp_path)
    files = [str(tmp_path / "reports" / "part2_samples.png"), "/elsewhere/part2_curves.png"]
    table = report.format_table([result("a", part=2, files=files)])
    assert f"pictures: {os.path.join('reports', 'part2_samples.png')}, /elsewhere/part2_curves.png" in table
    assert report.gradescope_results([result("a", files=files)])["tests"][0]["extra_data"]["files"] == [
        "part2_samples.png", "part2_curves.png"]


def test_results_json_shows_what_a_pass_measured():
    """Does a passing test's output in results.json (Gradescope, Classroom) carry the measured value?"""
    accuracy = [{"what": "x: held-out accuracy", "value": 0.981, "threshold": 0.92, "at_most": False}]
    test = report.gradescope_results([result("a", measured=accuracy)])["tests"][0]
    assert test["output"] == "Check that it works.\nheld-out accuracy 0.981 (needs at least 0.92)"
