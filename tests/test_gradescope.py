"""The Gradescope autograders, run the way Gradescope runs them: the zip unpacked in
ROOT/source, the learner's upload in ROOT/submission, run_autograder writing
ROOT/results/results.json, with ROOT a scratch folder instead of /autograder."""

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from conftest import ROOT, WRONG_ANSWERS, declared_losses, reference_file
from handout import gradescope
from handout.helpers import hidden_check_names
from hostile import Target, hostile_file

pytestmark = pytest.mark.slow
VENV = ROOT / ".venv"
PART1 = registry.PARTS[1] + ".py"


def points(part):
    return sum(c.points for c in checks_for(part))


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    """{"part1": path, ..., "all": path}, as `make gradescope ALL=1` writes them."""
    paths = gradescope.build(tmp_path_factory.mktemp("gradescope"), all_parts=True)
    return {path.stem.removeprefix("autograder-"): path for path in paths}


def run_like_gradescope(zip_path, root, uploads):
    """Lay `root` out as Gradescope does, with `uploads` ({path inside the upload: source file
    or text}) as the learner's submission, run run_autograder, return results.json."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        os.chmod(root / "source" / name, 0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    for name, content in uploads.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            (root / "submission" / name).write_text(content)
        else:
            shutil.copy(content, root / "submission" / name)
    (root / "submission").mkdir(exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "AUTOGRADER_ROOT": str(root),
           "AUTOGRADER_PYTHON": str(VENV / "bin" / "python")}
    result = subprocess.run([str(root / "run_autograder")], cwd=root / "source", env=env,
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = (root / "results" / "results.json").read_text()
    assert str(root) not in text and "/tmp" not in text, "a learner must never see a grader's path"
    return json.loads(text)


def test_one_zip_per_part_and_one_for_all(zips):
    """Does `make gradescope ALL=1` write a zip per part and one for every part, each with
    setup.sh and run_autograder (executable), its parts, the full grader, and only the
    grading requirements?"""
    assert sorted(zips) == ["all"] + [f"part{p}" for p in registry.PARTS]
    for name, path in zips.items():
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
            parts = json.loads(archive.read("assignment.json"))["parts"]
            setup = archive.read("setup.sh").decode()
            checks = archive.read("autograder/checks/part1.py").decode()
            for script in ("setup.sh", "run_autograder"):
                subprocess.run(["bash", "-n", "-c", archive.read(script).decode()], check=True)
        assert parts == (list(registry.PARTS) if name == "all" else [int(name[4:])])
        assert {"setup.sh", "run_autograder", "grade_submission.py", "requirements-grading.txt",
                "constraints.txt", "autograder/supervise/cli.py"} <= names
        assert {n.split("/")[0] for n in names if "/" in n} == {"autograder", "coursekit", "notebooks"}
        assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
        assert all(n in checks for n in hidden_check_names(ROOT)["part1.py"])  # graded, shown later
        assert "-r requirements-grading.txt -c constraints.txt" in setup and "requirements.txt" not in setup.replace("requirements-grading.txt", "")


def test_grading_requirements_are_lean_and_pinned():
    """Does the grading set name what the grader imports and no instructor tool, each pinned by
    the lock (constraints.txt)?"""
    names = [line.split("#")[0].strip().lower() for line in (ROOT / "requirements-grading.txt").read_text().splitlines()]
    names = [n for n in names if n]
    pinned = {line.split("==")[0].lower() for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    assert set(names) == {"scikit-learn", "matplotlib", "pytest", "rich"}
    assert set(names) <= pinned
    assert not {"nbgrader", "jupyter", "jupytext", "jupyterlab", "ipykernel"} & set(names)


def test_part1_zip_gives_a_complete_file_in_nested_folders_full_marks(zips, tmp_path):
    """Does the Part 1 zip grade a complete part1 file uploaded inside the repository's folders
    26/26, its hidden check included, and nothing of other parts?"""
    results = run_like_gradescope(zips["part1"], tmp_path, {"my-repo/exercises/" + PART1: reference_file(1),
                                                            "my-repo/README.md": "mine\n"})
    assert results["score"] == results["max_score"] == points(1)
    assert {t["name"].split(" /")[0] for t in results["tests"]} == {"part 1"}
    assert len(results["tests"]) == len(checks_for(1))
    assert "after_published" in {t["visibility"] for t in results["tests"]}
    assert results["output"].startswith(f"Part 1: graded my-repo/exercises/{PART1}.")


def test_part1_zip_gives_a_reader_of_the_reference_the_stubs_score(zips, tmp_path):
    """Do the stubs with lines that read the reference (beside the grader, or from the
    instructor's checkout on this machine) and run it earn what the stubs earn, and does the
    output end with what the sandbox held, for the instructor's first run?"""
    learner = hostile_file("reads_the_reference", Target([str(ROOT)], "", [], 0))
    results = run_like_gradescope(zips["part1"], tmp_path, {PART1: learner})
    assert results["score"] == 0
    assert results["output"].splitlines()[-1].startswith("Sandbox: landlock ABI")


def test_leaderboard_zip_adds_the_held_out_accuracy(tmp_path):
    """With LEADERBOARD=1, does the Part 2 zip's results.json carry the CNN's held-out accuracy,
    as the check measured it, as a leaderboard entry?"""
    zip_path, = gradescope.build(tmp_path / "zips", [2], leaderboard=True)
    results = run_like_gradescope(zip_path, tmp_path / "root", {registry.PARTS[2] + ".py": reference_file(2)})
    measured = next(m["value"] for t in results["tests"] for m in t["extra_data"].get("measured", [])
                    if t["extra_data"]["check"] == "cnn_test_accuracy")
    assert results["leaderboard"] == [{"name": "CNN held-out accuracy", "value": round(measured, 3), "order": "desc"}]


def test_part1_zip_scores_a_half_wrong_file(zips, tmp_path):
    """Does a file with three realistic mistakes lose exactly their checks' points, each saying why?"""
    mistakes = [WRONG_ANSWERS / "part1" / name for name in (
        "standardize_ignores_axis.py", "dense_layer_without_bias.py", "train_model_tiny_learning_rate.py")]
    learner = reference_file(1).read_text() + "".join("\n\n" + m.read_text() for m in mistakes)
    results = run_like_gradescope(zips["part1"], tmp_path, {PART1: learner})
    lost = {t["name"].split(": ", 1)[1] for t in results["tests"] if t["score"] < t["max_score"]}
    assert lost == set().union(*map(declared_losses, mistakes))
    assert results["score"] == points(1) - sum(c.points for c in checks_for(1) if c.name in lost)
    assert all("\npart 1, " in t["output"] for t in results["tests"] if t["score"] < t["max_score"])


@pytest.mark.parametrize("upload, sentence", [
    ({"part1_tf2_basics.ipynb": "{}"},
     "Your notebook part1_tf2_basics.ipynb could not be read as a Jupyter notebook: upload the "
     f"course's part1_tf2_basics.ipynb or your exercises/{PART1}."),
    ({"part1_tf2_basics.ipynb": json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})},
     "Your notebook part1_tf2_basics.ipynb is not the course's part1_tf2_basics.ipynb (none of its "
     f"exercise cells): upload that notebook or your exercises/{PART1}."),
    ({"solution.py": "def standardize(x, axis=0):\n    return x\n"},
     f"Your upload has no {PART1} (it holds solution.py): upload your exercises/{PART1}, under that name."),
])
def test_part1_zip_explains_a_foreign_notebook_or_a_wrong_name(zips, tmp_path, upload, sentence):
    """Does a notebook that is not the course's, or a file under another name, score zero on
    every check with one clear sentence saying what to upload, and no path of the grader's?"""
    results = run_like_gradescope(zips["part1"], tmp_path, upload)
    assert results["score"] == 0 and results["max_score"] == points(1)
    assert len(results["tests"]) == len(checks_for(1))
    assert all(t["output"].endswith("\n" + sentence) for t in results["tests"])
    assert results["output"].startswith(sentence)


def test_all_parts_zip_grades_the_parts_uploaded(zips, tmp_path):
    """Does the all-parts zip grade an uploaded Part 1 in full and give the missing parts zero,
    each with the sentence naming its file (never a temporary folder)?"""
    results = run_like_gradescope(zips["all"], tmp_path, {PART1: reference_file(1)})
    by_part = {}
    for test in results["tests"]:
        by_part.setdefault(int(test["name"].split()[1]), []).append(test)
    assert sum(t["score"] for t in by_part[1]) == points(1)
    assert results["max_score"] == sum(points(p) for p in registry.PARTS)
    for part in set(registry.PARTS) - {1}:
        expected = registry.PARTS[part] + ".py"
        assert all(t["score"] == 0 and re.search(rf"\nYour upload has no {expected} \(it holds {PART1}\)", t["output"])
                   for t in by_part[part])


def test_gradescope_grades_a_stub_zero(zips, tmp_path):
    """Does run_autograder give the untouched stub zero, with a valid results.json?"""
    results = run_like_gradescope(zips["part1"], tmp_path, {"exercises/" + PART1: ROOT / "exercises" / PART1})
    assert results["score"] == 0 and results["tests"]
    assert all({"name", "score", "max_score", "output", "visibility"} <= set(t) for t in results["tests"])


def learner_notebook(part, mistake=None):
    """The course's notebook of `part` as a learner submits it: the reference in its solution
    cells (the source notebook, test cells and all), a wrong answer pasted into one if given."""
    notebook = json.loads(next((ROOT / "course" / "source" / f"part{part}").glob("*.ipynb")).read_text())
    if mistake is not None:
        name = mistake.stem.split("_")[0]
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == name:
                cell["source"] = "".join(cell["source"]) + "\n\n" + mistake.read_text()
    return json.dumps(notebook)


def test_part1_zip_grades_the_courses_notebook_as_nbgrader_does(zips, tmp_path):
    """Does an uploaded Part 1 notebook get graded (its solution cells, the course's locked code,
    hidden check included) as nbgrader's autograde grades it: full marks for the reference, and a
    wrong answer in one cell costs exactly its checks?"""
    results = run_like_gradescope(zips["part1"], tmp_path / "right",
                                  {"work/part1_tf2_basics.ipynb": learner_notebook(1)})
    assert results["score"] == results["max_score"] == points(1)
    assert results["output"].startswith("Part 1: graded the notebook part1_tf2_basics.ipynb.")
    mistake = WRONG_ANSWERS / "part1" / "standardize_ignores_axis.py"
    results = run_like_gradescope(zips["part1"], tmp_path / "wrong",
                                  {"part1_tf2_basics.ipynb": learner_notebook(1, mistake)})
    lost = {t["name"].split(": ", 1)[1] for t in results["tests"] if t["score"] < t["max_score"]}
    assert lost == declared_losses(mistake)


def test_zips_hold_no_reference_code(zips, tmp_path):
    """Does every zip (which a submission can read on Gradescope) hold no statement of a reference
    solution, and notebooks without solutions or test cells?"""
    from handout.leaks import find_leaks

    for name, path in zips.items():
        folder = tmp_path / name
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
        assert find_leaks(folder) == [], name
        for notebook in (folder / "notebooks").glob("*.ipynb"):
            text = notebook.read_text()
            assert "BEGIN SOLUTION" not in text and "grade_cell" not in text, notebook
