"""The instructor's nbgrader commands, run out of order: each says what to do next."""

import shutil
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture
def empty_course(tmp_path):
    """A course with its notebooks and config, never released."""
    course = tmp_path / "course"
    for notebook in sorted((ROOT / "course" / "source").glob("*/*.ipynb")):
        (course / "source" / notebook.parent.name).mkdir(parents=True)
        shutil.copy(notebook, course / "source" / notebook.parent.name)
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course)
    return course


@pytest.mark.parametrize("target, says", [
    ("collect", "nothing has been released to"),
    ("autograde", "nothing collected in"),
    ("feedback", "nothing autograded in"),
    ("export", "no gradebook in"),
])
def test_a_step_too_early_says_which_step_comes_first(empty_course, target, says):
    """Does `make <target>` on a course that is not there yet exit 1 with one line naming the
    step to run first, instead of nbgrader's own error?"""
    result = subprocess.run(["make", "-s", target, f"COURSE={empty_course}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    message = [line for line in result.stderr.splitlines() if line.startswith("handout:")]
    assert len(message) == 1 and says in message[0] and "run `make " in message[0], result.stderr
    assert "Unwritable directory" not in result.stdout + result.stderr
