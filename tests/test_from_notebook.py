"""A learner's notebook as the file the grader grades (autograder/intake/from_notebook.py), cell by cell."""

import copy

import pytest

from autograder.intake import from_notebook
from conftest import ROOT

SOURCE = ROOT / "course" / "source" / "part1" / "part1_tf2_basics.ipynb"


@pytest.fixture(scope="module")
def source():
    return from_notebook.read(SOURCE)


def cell(notebook, grade_id):
    return next(c for c in notebook["cells"] if from_notebook.nbgrader(c).get("grade_id") == grade_id)


def code_cell(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


def released(source):
    """The notebook as learners get it: every solution region cleared."""
    notebook = copy.deepcopy(source)
    for c in notebook["cells"]:
        if from_notebook.nbgrader(c).get("solution"):
            c["source"] = from_notebook.stub_of(from_notebook.text_of(c))
    return notebook


def test_reference_notebook_gives_the_solution_code_without_test_cells(source):
    """Does the source notebook become its solution code: every definition, no test or setup cell?"""
    module = from_notebook.learner_module(source, source)
    compile(module.source, "module", "exec")
    for name in ("def standardize", "class DenseLayer", "def restore_latest"):
        assert name in module.source
    assert "grade_cell" not in module.source and "setup_notebook" not in module.source
    assert module.notes == []


def test_missing_solution_cell_is_the_stub_never_the_reference(source):
    """Is a deleted solution cell graded as the released stub, even when the structure given is the
    source notebook that holds the reference?"""
    submitted = released(source)
    submitted["cells"].remove(cell(submitted, "standardize"))
    module = from_notebook.learner_module(submitted, source)
    body = module.source.split("def standardize", 1)[1].split("\ndef ", 1)[0]
    assert "raise NotImplementedError()" in body
    assert "BEGIN SOLUTION" not in module.source
    assert from_notebook.text_of(cell(source, "standardize")).split("### BEGIN SOLUTION")[1].split(
        "### END SOLUTION")[0].strip() not in module.source


def test_syntax_error_costs_its_cell_only_and_is_named(source):
    """Does a cell that does not compile become a stub raising the error, with a note naming it?"""
    submitted = copy.deepcopy(source)
    cell(submitted, "cubic_gradients")["source"] += "\nthis is not python(\n"
    module = from_notebook.learner_module(submitted, source)
    compile(module.source, "module", "exec")
    assert "raise SyntaxError(\"the cell `cubic_gradients` has a syntax error at line" in module.source
    assert "def standardize" in module.source and module.source.count("raise SyntaxError") == 1
    assert any("`cubic_gradients` has a syntax error" in note for note in module.notes)


def test_added_cells_keep_only_definitions(source):
    """Do cells the learner added contribute their def/class/import/literal lines and nothing that
    runs (a loop, sys.exit, training, a magic), with a note saying so?"""
    submitted = copy.deepcopy(source)
    index = submitted["cells"].index(cell(submitted, "standardize"))
    added = ["while True:\n    pass", "import sys\nsys.exit(1)", "%timeit print(1)\n!ls",
             "import math\n\n\ndef helper(x):\n    return math.sqrt(x)\n\n\nLIMIT = 3\nprint(helper(LIMIT))"]
    submitted["cells"][index + 1:index + 1] = [code_cell(text) for text in added]
    module = from_notebook.learner_module(submitted, source)
    assert "while True" not in module.source and "sys.exit" not in module.source
    assert "timeit" not in module.source and "!ls" not in module.source
    assert "def helper(x):" in module.source and "LIMIT = 3" in module.source
    assert "print(helper(LIMIT))" not in module.source and "import sys" in module.source
    notes = " ".join(module.notes)
    assert "3 statements in cells you added" in notes and "2 IPython lines" in notes


def test_repeated_ids_grade_the_last_cell(source):
    """With two cells carrying the same solution id, is the last one graded?"""
    submitted = copy.deepcopy(source)
    right = cell(submitted, "standardize")
    wrong = copy.deepcopy(right)
    wrong["source"] = "def standardize(x, axis=0):\n    return 'wrong'\n"
    submitted["cells"].insert(submitted["cells"].index(right), wrong)
    module = from_notebook.learner_module(submitted, source)
    assert module.source.index("return 'wrong'") < module.source.rindex("def standardize")
    assert any("`standardize`" in note for note in module.notes)


def test_lines_map_back_to_cells(source):
    """Does a line of the module name its cell and the line in that cell?"""
    module = from_notebook.learner_module(source, source)
    line = module.source.splitlines().index("def cubic_gradients(x, c):") + 1
    assert module.where(line) == "line 1 of the cell `cubic_gradients`"
    assert module.where(1) is None  # the module's own header


def test_importing_the_grader_is_noted(source):
    """Does a solution cell that imports the grader get a note saying it changes nothing?"""
    submitted = copy.deepcopy(source)
    cell(submitted, "standardize")["source"] = (
        "import autograder.execute.notebook as _nb\n_nb.grade_cell = lambda *a, **k: None\n"
        + from_notebook.text_of(cell(submitted, "standardize")))
    notes = " ".join(from_notebook.learner_module(submitted, source).notes)
    assert "imports the course's grader" in notes and "changes nothing" in notes
