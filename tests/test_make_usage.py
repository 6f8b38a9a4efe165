"""The Makefile as a user meets it: `make help`, and an unknown PART rejected by every target
that reads PART, the same way, before anything is written."""

import re
import subprocess

import pytest

from autograder import registry
from conftest import ROOT

PART_TARGETS = ["grade", "try", "flake-check", "gradescope", "grade-batch"]


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
    read = {name for name in ("PART", "SUBMISSION", "FORCE", "SUBMISSIONS", "JOBS", "SEEDS", "RUNS",
                              "COURSE", "VALIDATE", "ALL", "TENSORFLOW", "PYTHON") if f"$({name})" in makefile}
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
