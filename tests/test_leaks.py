"""Nothing learners get holds reference code (issue 11): no statement of a solution region,
normalised (locals renamed, formatting gone), appears in what they receive, except the lines the
stub itself hands out as hints (handout/leaks.py)."""

import nbformat
import pytest

from conftest import ROOT
from handout import helpers, student_repo
from handout.leaks import find_leaks


@pytest.mark.parametrize("hidden", ["keep", "strip"])
def test_grader_copies_hold_no_reference_code(tmp_path, hidden):
    """Do autograder/ and coursekit/, as copied for learners (hidden checks cut out) and for
    Gradescope (hidden checks kept, readable by a submission there), hold no solution statement?"""
    helpers.copy_helpers(ROOT, tmp_path, hidden=hidden)
    assert find_leaks(tmp_path) == []


def test_stubs_hold_no_reference_code():
    """Do the learners' stubs in exercises/ hold no solution statement?"""
    assert find_leaks(ROOT / "exercises") == []


def test_student_repo_holds_no_reference_code(tmp_path):
    """Does the student repository (stubs, stripped grader, coursekit) hold no solution statement?"""
    assert find_leaks(student_repo.build(tmp_path / "student-repo")) == []


def test_notebooks_without_solutions_hold_no_reference_code(tmp_path):
    """Do the nbgrader notebooks, their solutions cleared by nbgrader's own ClearSolutions (as
    generate_assignment does), hold no solution statement?"""
    from nbgrader.preprocessors import ClearSolutions

    for source in sorted((ROOT / "course" / "source").glob("part*/*.ipynb")):
        notebook, _ = ClearSolutions().preprocess(nbformat.read(source, as_version=4), {})
        nbformat.write(notebook, tmp_path / source.name)
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) and find_leaks(tmp_path) == []


def test_leak_finder_sees_a_pasted_solution_line(tmp_path):
    """Does the finder notice a solution statement pasted into a helper, locals renamed?"""
    (tmp_path / "helper.py").write_text(
        "def scale(pictures, classes):\n"
        "    out = np.asarray(classes, dtype=np.int64)\n"
        "    return out\n")
    assert [leak.split(":")[0] for leak in find_leaks(tmp_path)] == ["helper.py"]
