"""The Makefile as a user meets it: `make help`, and an unknown PART rejected by every target
that reads PART, the same way, before anything is written."""

import json
import os
import re
import subprocess

import pytest

from autograder.checkkit import registry
from conftest import ROOT

PART_TARGETS = ["grade", "try", "hint", "flake-check", "gradescope", "grade-batch"]


def make(*args, timeout=120):
    return subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_help_lists_every_target_and_every_variable_with_its_value():
    """Does `make help` name every target and every variable a target reads, with its value (no
    unexpanded `$(...)`)?"""
    result = make("help", "COURSE=elsewhere")
    assert result.returncode == 0
    makefile = (ROOT / "Makefile").read_text()
    targets = [m.group(1) for m in re.finditer(r"^([a-z][a-z-]*):(?!=)", makefile, re.MULTILINE)
               if m.group(1) != "known-part"]  # the PART check every PART target runs first
    assert "grade" in targets and "release" in targets
    for target in targets:
        assert f"make {target} " in result.stdout, target
    # every upper-case variable a recipe reads, except the Makefile's own (VENV, PY, PARTS, ...)
    own = set(re.findall(r"^([A-Z_]+) :?=", makefile, re.MULTILINE)) | {"CURDIR", "MAKEFILE_LIST"}
    read = set(re.findall(r"\$\(([A-Z_]+)\)", makefile)) - own
    assert {"PART", "SUBMISSION", "JOBS", "SCHEDULER"} <= read
    for name in read:
        assert f"\n  {name}=" in result.stdout, name
    assert "COURSE=elsewhere " in result.stdout and "$(" not in result.stdout


@pytest.mark.parametrize("target", PART_TARGETS)
@pytest.mark.parametrize("part", ["9", "1 9"])
def test_unknown_part_is_refused_the_same_way_everywhere(target, part, tmp_path):
    """Does every target that reads PART refuse an unknown one with one line naming the course's
    parts, exit status 2, and nothing written or overwritten?"""
    before = sorted(p for p in ROOT.rglob("*") if "reports" in p.parts or "build" in p.parts)
    result = make(target, f"PART={part}", f"SUBMISSIONS={tmp_path}")
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    parts = " ".join(map(str, registry.PARTS))
    assert len(lines) == 1 and f"no part 9; the course has parts {parts}" in lines[0], lines
    assert sorted(p for p in ROOT.rglob("*") if "reports" in p.parts or "build" in p.parts) == before


# ---------------------------------------------------------------- one file, any name
def grade(*args, report):
    return subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "autograder", *args,
                           "--report", str(report)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.parametrize("part, says", [
    ("", "cannot tell which part mywork.py is: name it like the stubs"),
    ("1 2", "mywork.py is a single file, so it is one part: give one PART"),
])
def test_a_single_file_of_unknown_part_is_refused_in_one_sentence(tmp_path, part, says):
    """Without PART (and a name that does not say), or with several, does a single file get one
    sentence saying what to do, exit status 2, and no report?"""
    learner = tmp_path / "mywork.py"
    learner.write_text((ROOT / "solutions" / "part1_tf2_basics.py").read_text())
    result = make("grade", f"SUBMISSION={learner}", *([f"PART={part}"] if part else []))
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2 and len(lines) == 2, lines  # the sentence, then make's own line
    assert lines[0].startswith("grade: ") and says in lines[0] and "make grade PART=1 SUBMISSION=" in lines[0]


@pytest.mark.slow
def test_a_file_of_any_name_is_graded_as_the_part_given(tmp_path):
    """Is a single .py file named anything graded as the PART given: full marks for the reference?"""
    learner = tmp_path / "mywork.py"
    learner.write_text((ROOT / "solutions" / "part1_tf2_basics.py").read_text())
    result = grade("--part", "1", "--submission", str(learner), report=tmp_path / "results.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "results.json").read_text())["score"] == 26


@pytest.mark.slow
def test_the_courses_notebook_is_graded_as_autograde_grades_it(tmp_path):
    """Is the course's notebook, given as SUBMISSION, graded as nbgrader's autograde grades it
    (the reference notebook: full marks, hidden check included)?"""
    notebook = ROOT / "course" / "source" / "part1" / "part1_tf2_basics.ipynb"
    result = grade("--submission", str(notebook), report=tmp_path / "results.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "results.json").read_text())["score"] == 26
