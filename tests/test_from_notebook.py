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


def test_added_cells_run_where_the_learner_put_them(source):
    """Are the cells a learner added kept whole, in their place, each a cell of its own for the
    grading process to run (magics blanked and noted; one that does not compile left out with a
    note, as Jupyter would not have run it)?"""
    submitted = copy.deepcopy(source)
    index = submitted["cells"].index(cell(submitted, "standardize"))
    added = ["while True:\n    pass", "import sys\nsys.exit(1)", "%timeit print(1)\n!ls",
             "layers = tf.keras.layers\nSCALE = 1 / 16", "def broken(:\n    pass"]
    submitted["cells"][index + 1:index + 1] = [code_cell(text) for text in added]
    module = from_notebook.learner_module(submitted, source)
    labels = [c["label"] for c in module.cells]
    first = labels.index("the cell `standardize`")
    # the magics' cell holds nothing else: it is left out, and so is the one that does not compile
    assert labels[first + 1:first + 4] == [f"the cell you added (cell {index + n})" for n in (2, 3, 5)]
    assert len(labels) == len(set(labels))
    lines = module.source.splitlines()
    for c in module.cells:  # each cell's lines are where it says
        assert lines[c["first"] - 1].strip() or c["first"] == c["last"]
    assert "while True:" in module.source and "sys.exit(1)" in module.source and "SCALE = 1 / 16" in module.source
    assert "timeit" not in module.source and "!ls" not in module.source and "def broken" not in module.source
    notes = " ".join(module.notes)
    assert "2 IPython lines" in notes and f"cell {index + 6}) has a syntax error" in notes


def test_definitions_are_defs_imports_and_names_bound_to_names_and_literals():
    """Which statements survive a cell that failed: def, class, import, and names bound to names,
    attributes and literals; not calls, loops or prints?"""
    import ast

    kept = ["def f():\n    pass", "class A:\n    pass", "import math", "from os import path",
            "layers = tf.keras.layers", "SCALE = 1 / 16", "NAMES = ('a', 'b')", "mean_of = tf.reduce_mean"]
    dropped = ["print(1)", "model = build()", "while True:\n    pass", "x = data[0]", "sys.exit(3)",
               "history = model.fit(x, y)"]
    for text in kept:
        assert from_notebook.is_definition(ast.parse(text).body[0]), text
    for text in dropped:
        assert not from_notebook.is_definition(ast.parse(text).body[0]), text


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
