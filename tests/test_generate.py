"""The stub generator: committed stubs are current, markers are checked, learners' work is safe."""

import subprocess
import sys

import pytest

from conftest import ROOT
from generate.__main__ import main as generate_main
from generate.regions import MarkerError, find_regions
from generate.stubs import make_stub

GOOD = '''def add(a, b):
    """Add."""
    # TODO: add them.
    ### BEGIN SOLUTION
    total = a + b
    ### END SOLUTION
    return total
'''


def test_committed_stubs_equal_generation():
    """Do the committed exercises/ and course/source/ notebooks equal what `make exercises` writes now?"""
    result = subprocess.run([sys.executable, "-m", "generate", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_stub_replaces_region_and_keeps_the_rest():
    """Does a region become the NotImplementedError stub while the TODO and return stay?"""
    stub = make_stub(GOOD, "part9_demo.py")
    assert "total = a + b" not in stub
    assert '    raise NotImplementedError("part9: add")' in stub
    assert "    # TODO: add them." in stub and stub.rstrip().endswith("return total")


def test_method_regions_name_the_class():
    """Is a region inside a method named Class.method in its NotImplementedError?"""
    text = "class Layer:\n    def build(self):\n        ### BEGIN SOLUTION\n        x = 1\n        ### END SOLUTION\n"
    assert 'NotImplementedError("part9: Layer.build")' in make_stub(text, "part9_demo.py")


@pytest.mark.parametrize("text, line, words", [
    (GOOD.replace("    ### END SOLUTION\n", ""), 4, "no ### END SOLUTION"),
    (GOOD.replace("    ### BEGIN SOLUTION\n", ""), 5, "without a ### BEGIN SOLUTION"),
    (GOOD.replace("    total = a + b\n", "    ### BEGIN SOLUTION\n"), 5, "inside the region opened at line 4"),
    (GOOD.replace("### END SOLUTION", "### END SOLUTON"), 6, "unknown marker"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", 1, "not inside a function body"),
])
def test_malformed_markers_fail_with_file_and_line(text, line, words):
    """Does a malformed marker fail loudly, naming the file, the line and the problem?"""
    with pytest.raises(MarkerError, match=rf"^part9_demo.py:{line}: .*{words}"):
        find_regions(text, "part9_demo.py")


@pytest.fixture
def course(tmp_path):
    """A throwaway course folder with one solution, generated once."""
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "part9_demo.py").write_text(GOOD)
    assert generate_main(["--root", str(tmp_path)]) == 0
    return tmp_path


def test_generate_refuses_to_overwrite_learner_work(course, capsys):
    """Does `make exercises` refuse to overwrite an edited stub, say which file and how to force?"""
    stub = course / "exercises" / "part9_demo.py"
    stub.write_text(stub.read_text().replace("# YOUR CODE HERE", "total = a + b  # my work"))
    (course / "solutions" / "part9_demo.py").write_text(GOOD.replace("Add.", "Add two numbers."))
    assert generate_main(["--root", str(course)]) == 1
    error = capsys.readouterr().err
    assert "exercises/part9_demo.py was edited" in error and "FORCE=1" in error
    assert "my work" in stub.read_text()


def test_generate_force_keeps_a_backup(course):
    """Does FORCE=1 regenerate the stub and keep the learner's version beside it?"""
    stub = course / "exercises" / "part9_demo.py"
    stub.write_text(stub.read_text() + "# my work\n")
    assert generate_main(["--root", str(course), "--force"]) == 0
    backups = list((course / "exercises").glob("part9_demo.py.bak-*"))
    assert len(backups) == 1 and backups[0].read_text().endswith("# my work\n")
    assert "# my work" not in stub.read_text()


def test_generate_updates_untouched_stubs(course):
    """Does a stub nobody edited follow a changed solution without complaint?"""
    (course / "solutions" / "part9_demo.py").write_text(GOOD.replace("Add.", "Add two numbers."))
    assert generate_main(["--root", str(course)]) == 0
    assert "Add two numbers." in (course / "exercises" / "part9_demo.py").read_text()


def test_check_reports_stale_stubs(course):
    """Does --check fail when a solution changed and the stub was not regenerated?"""
    (course / "solutions" / "part9_demo.py").write_text(GOOD.replace("Add.", "Sum."))
    assert generate_main(["--root", str(course), "--check"]) == 1
