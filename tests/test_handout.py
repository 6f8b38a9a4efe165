"""The student repository (GitHub Classroom). The Gradescope zips: test_gradescope.py."""

import json
import os
import subprocess

import pytest

from autograder.checks import checks_for
from conftest import ROOT
from handout import student_repo
from handout.helpers import hidden_check_names

pytestmark = pytest.mark.slow
VENV = ROOT / ".venv"


def hidden_names():
    names = [n for found in hidden_check_names(ROOT).values() for n in found]
    return names + [n.removeprefix("check_") for n in names]


def points(part, hidden=None):
    return sum(c.points for c in checks_for(part) if hidden is None or c.hidden == hidden)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student") / "student-repo"
    student_repo.build(dest)
    return dest


def test_student_repo_has_no_solutions_and_no_hidden_checks(repo):
    """Does the student repository hold stubs and the grader, but no solution and no hidden check?"""
    assert not (repo / "solutions").exists() and not (repo / "tests").exists()
    assert (repo / "exercises" / "part1_tf2_basics.py").is_file()
    for path in repo.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".yml", ".txt"):
            text = path.read_text()
            assert "BEGIN SOLUTION" not in text, path
            assert not [n for n in hidden_names() if n in text], path
    assert "## For instructors" not in (repo / "README.md").read_text()


def test_student_repo_holds_exactly_what_grading_a_learner_needs(repo):
    """Does the student repository carry the grader for one learner's files and none of the class
    tools (classroom/: batch, Dask, warm graders) nor any module importing Dask?"""
    assert sorted(p.name for p in repo.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "autograder", "coursekit", "exercises"]
    for path in repo.rglob("*.py"):
        text = path.read_text()
        assert "import dask" not in text and "import distributed" not in text, path
        assert "from classroom" not in text and "import classroom" not in text, path


def test_classroom_workflow_scores_each_visible_check_with_its_points(repo):
    """Does the GitHub Classroom workflow give each visible check its own test and its points?"""
    import yaml

    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graders = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    parts = sorted(int(p.name[4]) for p in (repo / "exercises").glob("part*.py"))
    visible = [c for part in parts for c in checks_for(part) if not c.hidden]
    assert [(s["id"], s["with"]["max-score"]) for s in graders] == [
        (f"part{c.part}_{c.name}", c.points) for c in visible]
    reporter = steps[-1]
    assert reporter["with"]["runners"] == ",".join(s["id"] for s in graders)
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graders}


def test_student_repo_grades_itself(repo):
    """Does `make grade` in the student repository grade the stubs without the hidden checks, and
    does the Classroom helper score a check from its report?"""
    (repo / ".venv").symlink_to(VENV)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_HOME")}
    result = subprocess.run(["make", "-s", "grade", "PART=1"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"Total: 0/{points(1, hidden=False):g} points" in result.stdout
    report = json.loads((repo / "reports" / "results.json").read_text())
    assert report["max_score"] == points(1, hidden=False)
    check = next(c for c in checks_for(1) if not c.hidden)
    scored = subprocess.run(["python3", ".github/classroom_check.py", "1", check.name], cwd=repo,
                            capture_output=True, text=True)
    assert scored.returncode == 1 and "not attempted yet" in scored.stdout
