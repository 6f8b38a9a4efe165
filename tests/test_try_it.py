"""'Try it' as the README says it: `make try PART=n`, in the repository and in a learner's copy
(the student repository: no solutions/, scripts/ or docs/), and learner text that names only
what learners have."""

import os
import re
import shutil
import subprocess

import pytest

from autograder.checkkit import registry, thresholds
from conftest import ROOT, reference_file
from handout import student_repo

pytestmark = pytest.mark.slow
EXPECTED = re.compile(r"^(?P<what>.*?): (?P<got>.*) \[expected (?P<want>(?!about ).*)\]$")
LEARNERS_LACK = ("solutions", "scripts", "docs", "tests", "generate", "handout", "course")
NAMES_A_LACKING_FILE = re.compile(rf"(?<![\w.-])(?:{'|'.join(LEARNERS_LACK)})(?:/|\.\w)")


def make(folder, *args):
    """`make -s ...` in `folder` as a learner runs it (no PYTHONPATH or KERAS_HOME of ours)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL")}
    return subprocess.run(["make", "-s", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def learner_copy(tmp_path_factory):
    """The student repository, whose exercises a learner has completed (the reference's code)."""
    dest = tmp_path_factory.mktemp("learner") / "student-repo"
    student_repo.build(dest)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    for part in registry.PARTS:
        shutil.copy(reference_file(part), dest / "exercises" / reference_file(part).name)
    return dest


@pytest.mark.parametrize("part", sorted(registry.PARTS))
def test_try_it_runs_in_a_learners_copy(learner_copy, part):
    """Does `make try PART=n` run the part's Try it section in the student repository, quietly,
    with every result equal to what it prints as expected?"""
    assert not any((learner_copy / folder).exists() for folder in LEARNERS_LACK)
    result = make(learner_copy, "try", f"PART={part}")
    assert result.returncode == 0 and result.stderr == "", result.stdout[-2000:] + result.stderr[-3000:]
    compared = [m for m in map(EXPECTED.match, result.stdout.splitlines()) if m]
    assert len(compared) >= 2, result.stdout
    for match in compared:
        assert match["got"] == match["want"], match.group(0)
    if part == 2:
        accuracy = float(re.search(r"^test accuracy: ([\d.]+)", result.stdout, re.MULTILINE)[1])
        assert accuracy >= thresholds.CNN_ACCURACY_THRESHOLD
        assert all((learner_copy / "reports" / f"part2_{name}.png").is_file()
                   for name in ("samples", "training_curves", "confusion_matrix"))


def test_try_it_on_the_untouched_stubs_names_the_first_exercise_to_write():
    """Does `make try PART=1`, exactly as the README shows it, stop at the first exercise not
    written yet with one line and no traceback?"""
    result = make(ROOT, "try", "PART=1")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "Try it stopped at standardize: it is not written yet" in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize("part, words", [
    ("", "which part? e.g. `make try PART=1`"),
    ("1 2", "PART should be one part number"),
])
def test_try_it_without_a_good_part_says_so(part, words):
    """Does `make try` with no part, an unknown part or two parts say so in one line, exit 2?"""
    result = make(ROOT, "try", f"PART={part}")
    assert result.returncode != 0 and f"try: {words}" in result.stderr, result.stderr



def test_an_error_in_the_learners_code_shows_its_own_traceback(tmp_path):
    """Does an error in the learner's file show the traceback from their file on, not the runner's?"""
    (tmp_path / "part1_tf2_basics.py").write_text("def f():\n    raise ValueError('my bug')\n\n\n"
                                                  "if __name__ == '__main__':\n    f()\n")
    result = make(ROOT, "try", "PART=1", f"SUBMISSION={tmp_path}")
    assert result.returncode != 0 and "ValueError: my bug" in result.stderr
    assert "part1_tf2_basics.py\", line 6" in result.stderr and "runpy" not in result.stderr


def learner_texts(repo):
    """{name: text} of what learners read: stubs, README, Makefile, coursekit and the notebooks."""
    paths = [*sorted((repo / "exercises").glob("*.py")), repo / "README.md", repo / "Makefile",
             *sorted((repo / "coursekit").glob("*.py"))]
    texts = {str(p.relative_to(repo)): p.read_text() for p in paths}
    for notebook in sorted((ROOT / "course" / "source").glob("part*/*.ipynb")):
        texts[str(notebook.relative_to(ROOT))] = notebook.read_text()
    return texts


def test_learner_text_names_no_file_learners_lack(learner_copy):
    """Do the stubs, the student README and Makefile, coursekit and the notebooks name no file of
    solutions/, scripts/, docs/ (or any folder a learner's copy lacks), and only make targets that
    the learners' Makefile has?"""
    texts = learner_texts(learner_copy)
    for name, text in texts.items():
        assert not NAMES_A_LACKING_FILE.findall(text), (name, NAMES_A_LACKING_FILE.findall(text))
    targets = student_repo.makefile_targets(texts["Makefile"])
    named = set(re.findall(r"`make ([a-z][\w-]*)|^\s*make ([a-z][\w-]*)", texts["README.md"], re.MULTILINE))
    assert {a or b for a, b in named} <= targets
