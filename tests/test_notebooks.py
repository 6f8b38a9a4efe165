"""The nbgrader notebooks: generated from the solutions, test cells from the registry, quiet."""

import dataclasses
import json
import sys

import pytest

from autograder.checks import checks_for
from autograder.execute.notebook import grade_cell
from conftest import ROOT, reference_file
from generate.notebooks import lint, make_notebook
from generate.regions import MarkerError
from handout import helpers

SOLUTION = '''"""Part 9: a module docstring that notebooks leave out."""

# %% [markdown]
# # Part 9
#
# ## Setup

# %%
import math

SCALE = 2.0


# %%
def double(x):
    """Return 2 x."""
    # TODO: multiply.
    ### BEGIN SOLUTION
    result = SCALE * x
    ### END SOLUTION
    return result


# %%
def halve(x):
    """Return x / 2."""
    ### BEGIN SOLUTION
    result = x / SCALE
    ### END SOLUTION
    return result


# %% [markdown]
# ## Try it

# %%
if __name__ == "__main__":
    print(double(2))
'''


@dataclasses.dataclass
class FakeCheck:
    """What generate/notebooks.py reads of a registry.Check."""
    name: str
    exercise: str
    wants: list
    points: float = 1
    hidden: bool = False
    summary: str = "Check that it works."


CHECKS = [FakeCheck("double_doubles", "double", ["double"], points=2),
          FakeCheck("halve_undoes_double", "halve", ["double", "halve"]),
          FakeCheck("double_secret_values", "double", ["double"], hidden=True)]


def cells_of(text):
    return json.loads(text)["cells"]


def test_notebook_marks_solution_locked_and_test_cells():
    """Does each solution cell become a solution cell, the rest locked, and each check a graded cell?"""
    notebook = make_notebook(SOLUTION, "part9_demo.py", CHECKS)
    cells = cells_of(notebook)
    meta = [c["metadata"]["nbgrader"] for c in cells]
    ids = [m["grade_id"] for m in meta]
    assert ids == ["locked-00", "grading-note", "setup", "locked-01", "double", "check_double_doubles",
                   "hidden-test-1", "halve", "check_halve_undoes_double"]
    assert "How this notebook is graded" in "".join(cells[1]["source"])
    assert [m["grade_id"] for m in meta if m["solution"]] == ["double", "halve"]
    assert all(m["locked"] for m in meta if not m["solution"])
    assert {m["grade_id"]: m["points"] for m in meta if m["grade"]} == {
        "check_double_doubles": 2, "hidden-test-1": 1, "check_halve_undoes_double": 1}
    assert [c["id"] for c in cells] == ids  # stable ids: generating twice gives the same bytes
    assert make_notebook(SOLUTION, "part9_demo.py", CHECKS) == notebook
    assert lint(notebook, "part9_demo.ipynb") == []


def test_notebook_leaves_out_script_only_cells():
    """Are the module docstring, the __main__ cell and its introduction left out of the notebook?"""
    text = "".join("".join(c["source"]) for c in cells_of(make_notebook(SOLUTION, "part9_demo.py", CHECKS)))
    assert "module docstring" not in text and "__main__" not in text and "Try it" not in text


def test_test_cells_call_the_registered_check():
    """Does a test cell call grade_cell with the part and check name, and hide a hidden one's call?"""
    cells = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
             for c in cells_of(make_notebook(SOLUTION, "part9_demo.py", CHECKS))}
    assert "_result = grade_cell(9, 'double_doubles', globals())\nassert _result.passed" in cells["check_double_doubles"]
    hidden = cells["hidden-test-1"]
    before, region = hidden.split("### BEGIN HIDDEN TESTS\n")
    assert "double_secret_values" not in before and "grade_cell(9, 'double_secret_values'" in region
    assert region.rstrip().endswith("### END HIDDEN TESTS")
    assert cells["setup"].rstrip().endswith("setup_notebook()")


def test_check_taking_an_undefined_name_fails_loudly():
    """Does a check that takes a name no cell defines stop generation, naming both?"""
    with pytest.raises(MarkerError, match="check 'uses_triple' takes 'triple'"):
        make_notebook(SOLUTION, "part9_demo.py", [FakeCheck("uses_triple", "triple", ["triple"])])


def test_mixed_json_and_python_header_fails_with_line():
    """Does a header jupytext cannot read as JSON stop generation with the file and line?"""
    text = SOLUTION.replace("# %%\ndef halve", '# %% nbgrader={"grade": False, "locked": true}\ndef halve')
    line = text.splitlines().index('# %% nbgrader={"grade": False, "locked": true}') + 1
    with pytest.raises(MarkerError, match=rf"^part9_demo.py:{line}: .*not valid JSON"):
        make_notebook(text, "part9_demo.py", CHECKS)


def test_instructor_metadata_on_a_header_is_kept():
    """Is nbgrader metadata that the instructor wrote on a header left as written?"""
    manual = '{"grade": true, "grade_id": "explain", "locked": false, "points": 3, "schema_version": 3, "solution": true}'
    text = SOLUTION.replace("# %% [markdown]\n# ## Try it", f"# %% [markdown] nbgrader={manual}\n# ## Try it")
    text = text.replace('# %%\nif __name__ == "__main__":\n    print(double(2))\n', "")
    cells = cells_of(make_notebook(text, "part9_demo.py", CHECKS))
    assert cells[-1]["metadata"]["nbgrader"] == json.loads(manual)


def test_committed_notebook_has_a_test_cell_per_check_with_its_points():
    """Does the committed Part 1 notebook carry one graded cell per registered check, same points?"""
    notebook = json.loads((ROOT / "course" / "source" / "part1" / "part1_tf2_basics.ipynb").read_text())
    graded = [c["metadata"]["nbgrader"] for c in notebook["cells"] if c["metadata"]["nbgrader"]["grade"]]
    checks = checks_for(1)
    assert sorted(m["points"] for m in graded) == sorted(c.points for c in checks)
    assert sum(m["points"] for m in graded) == sum(c.points for c in checks)
    assert len([m for m in graded if m["grade_id"].startswith("hidden-test-")]) == len([c for c in checks if c.hidden])


def test_part1_has_a_hidden_check():
    """Does Part 1 have at least one hidden check (so releases are proven to leave one out)?"""
    assert [c.name for c in checks_for(1) if c.hidden]


def test_released_checks_module_leaves_out_hidden_checks():
    """Does the released copy of a checks module lose exactly the hidden checks' code, and compile?"""
    text = (ROOT / "autograder" / "checks" / "part1.py").read_text()
    stripped, names = helpers.strip_hidden_checks(text, "part1.py")
    hidden = [f"check_{c.name}" for c in checks_for(1) if c.hidden]
    assert names == hidden and not [n for n in names if n in stripped]
    visible = [f"def check_{c.name}(" for c in checks_for(1) if not c.hidden]
    assert all(v in stripped for v in visible)


def test_hidden_flag_must_be_literal():
    """Does a hidden= that is not written literally stop the release copy, with the line?"""
    text = "from autograder.checkkit.registry import check\n\nSECRET = True\n\n\n@check(points=1, exercise='x', hidden=SECRET)\ndef check_x(x):\n    pass\n"
    with pytest.raises(helpers.HiddenCheckError, match="part9.py:6: write hidden=True"):
        helpers.strip_hidden_checks(text, "part9.py")


def test_learners_copy_has_the_checks_without_hidden_ones(tmp_path):
    """Does the copy beside released notebooks hold the checks with the hidden ones cut out?"""
    helpers.copy_helpers(ROOT, tmp_path, hidden="strip")
    checks = tmp_path / "autograder" / "checks"
    full = (ROOT / "autograder" / "checks" / "part1.py").read_text()
    assert (checks / "part1.py").read_text() == helpers.strip_hidden_checks(full, "part1.py")[0]
    assert (tmp_path / "coursekit" / "__init__.py").is_file()
    assert not list(tmp_path.rglob("__pycache__")) and not list(tmp_path.rglob("with_hidden"))


# ---------------------------------------------------------------- grade_cell, in this process
@pytest.fixture(scope="module")
def reference_namespace():
    from autograder.execute import learner_module

    return vars(learner_module.import_part(reference_file(1), 1))


def test_grade_cell_passes_the_reference(reference_namespace, capsys):
    """Does a test cell on the reference pass and print one PASS line with the points?"""
    result = grade_cell(1, "standardize_matches_numpy", dict(reference_namespace))
    assert result.passed and result.message == ""
    assert capsys.readouterr().out == "PASS 2/2  part 1, standardize: standardize_matches_numpy\n"


def test_grade_cell_failure_is_one_line(reference_namespace):
    """Does a wrong answer give a one-line message naming the part and exercise?"""
    namespace = dict(reference_namespace, standardize=lambda x, axis=0: x)
    result = grade_cell(1, "standardize_matches_numpy", namespace)
    assert not result.passed and result.message.startswith("part 1, standardize: ")
    assert "\n" not in result.message and "Hint:" in result.message


def test_grade_cell_reads_nbgrader_stub_as_not_attempted(reference_namespace):
    """Does nbgrader's bare `raise NotImplementedError()` stub read as 'not attempted yet'?"""
    def standardize(x, axis=0):
        raise NotImplementedError()

    result = grade_cell(1, "standardize_matches_numpy", dict(reference_namespace, standardize=standardize))
    assert result.message == "part 1, standardize: not attempted yet"


def test_grade_cell_names_a_missing_object_and_an_unknown_check(reference_namespace):
    """Does a deleted function, or a check this copy lacks, give a message instead of a crash?"""
    namespace = {k: v for k, v in reference_namespace.items() if k != "standardize"}
    assert "no `standardize`" in grade_cell(1, "standardize_matches_numpy", namespace).message
    unknown = grade_cell(1, "nope", namespace).message
    assert "lacks this cell's check" in unknown and "nope" not in unknown  # it could be hidden


def test_grade_cell_keeps_stderr_clean(reference_namespace, capfd):
    """Does a check whose learner code writes to stderr leave the cell's stderr empty?"""
    def standardize(x, axis=0):
        print("debugging", file=sys.stderr)
        import os
        os.write(2, b"C-level noise\n")
        return reference_namespace["standardize"](x, axis)

    result = grade_cell(1, "standardize_matches_numpy", dict(reference_namespace, standardize=standardize))
    assert result.passed
    assert capfd.readouterr().err == ""


def test_notebook_round_trips_through_percent_format():
    """Does the notebook, paired as a jupytext percent file, keep every cell's nbgrader metadata
    (all-JSON headers, nothing filed under incorrectly_encoded_metadata)?"""
    import jupytext

    notebook = jupytext.reads(make_notebook(SOLUTION, "part9_demo.py", CHECKS), fmt="ipynb")
    text = jupytext.writes(notebook, fmt="py:percent")
    assert '# %% nbgrader={"grade": false, "grade_id": "double"' in text
    again = jupytext.reads(text, fmt="py:percent")
    assert [c.metadata.get("nbgrader") for c in again.cells] == [c.metadata["nbgrader"] for c in notebook.cells]
    assert not [c for c in again.cells if "incorrectly_encoded_metadata" in c.metadata]
