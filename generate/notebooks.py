"""Turn a solution file into its nbgrader source notebook: course/source/partN/partN_<topic>.ipynb.

The chain, in order; each step takes and returns the list of cells:

    read_cells         jupytext splits the percent-format file into cells; a header whose
                       metadata is not all-JSON stops here (jupytext would silently file it
                       under `incorrectly_encoded_metadata`)
    drop_script_only   the module docstring (the first markdown cell says it in a notebook), and
                       an `if __name__ == "__main__":` cell with the markdown cell introducing it
                       (a script's entry point; in a notebook the test cells do that job)
    mark_cells         a cell holding a solution region -> a solution cell named by what it
                       defines; every other cell -> locked (read-only, restored at autograde)
    add_test_cells     one locked autograded cell per registered check, with the registry's
                       points, right after the cell defining the last object the check takes;
                       a hidden check's call sits inside nbgrader's BEGIN/END HIDDEN TESTS
    add_setup_cell     a locked cell before the first code cell that silences TensorFlow
                       before anything imports it
    add_grading_note   a locked markdown cell before it that says how the notebook is graded
    number_cells       cell ids from grade ids, so that generating twice gives the same bytes

mark_cells must run before add_test_cells and add_setup_cell: the cells those add carry their
own metadata, which mark_cells would otherwise overwrite. A cell whose header already carries
`nbgrader=...` metadata (say, a manually graded answer) is left as the instructor wrote it.
"""

import ast
import json
import re
import textwrap

import jupytext
import nbformat

from generate.regions import BEGIN, MarkerError, find_regions
from generate.stubs import part_of

SCHEMA_VERSION = 3
HEADER = re.compile(r"^# %%")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def make_notebook(text, filename, checks):
    """The nbgrader source notebook (JSON text) for solution `text` named `filename`.

    checks: the part's registered checks (autograder.checks.checks_for), in registry order.
    """
    find_regions(text, filename)  # malformed markers fail here, with the file and line
    part = part_of(filename)
    cells = read_cells(text, filename)
    cells = drop_script_only(cells)
    cells = mark_cells(cells, filename)
    cells = add_test_cells(cells, part, checks, filename)
    cells = add_setup_cell(cells)
    cells = add_grading_note(cells)
    cells = number_cells(cells)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def nbgrader_meta(grade_id, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def header_lines(text):
    """1-based line numbers of the `# %%` cell headers, in order."""
    return [number for number, line in enumerate(text.splitlines(), 1) if HEADER.match(line)]


def read_cells(text, filename):
    notebook = jupytext.reads(text, fmt="py:percent")
    lines = header_lines(text)
    offset = len(notebook.cells) - len(lines)  # 1 when text precedes the first header
    for index, cell in enumerate(notebook.cells):
        if "incorrectly_encoded_metadata" in cell.metadata:
            line = lines[index - offset] if index >= offset else 1
            raise MarkerError(
                f"{filename}:{line}: this cell header's metadata is not valid JSON "
                f"({cell.metadata['incorrectly_encoded_metadata']!r}); write it all-JSON, e.g. "
                '`# %% nbgrader={"grade": false, "locked": true, ...}` (false, not False)')
        cell.pop("id", None)
    return list(notebook.cells)


def code_body(cell):
    """The top-level statements of a code cell (a cell that is not Python has none)."""
    try:
        return ast.parse(cell.source).body
    except SyntaxError:
        return []


def is_docstring(cell):
    body = code_body(cell)
    return (cell.cell_type == "code" and len(body) == 1 and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str))


def is_script_entry_point(cell):
    body = code_body(cell)
    return (cell.cell_type == "code" and len(body) == 1 and isinstance(body[0], ast.If)
            and ast.unparse(body[0].test).replace("'", '"') == '__name__ == "__main__"')


def drop_script_only(cells):
    kept = []
    for index, cell in enumerate(cells):
        if index == 0 and is_docstring(cell):
            continue
        if is_script_entry_point(cell):
            if kept and kept[-1].cell_type == "markdown":
                kept.pop()  # the markdown cell that introduces the entry point
            continue
        kept.append(cell)
    return kept


def defined_names(cell):
    """The names a code cell binds at top level: functions, classes, assignments, imports."""
    names = []
    for node in code_body(cell):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names]
    return names


def mark_cells(cells, filename):
    seen = {}
    for index, cell in enumerate(cells):
        if "nbgrader" in cell.metadata:
            continue
        if cell.cell_type == "code" and BEGIN in cell.source:
            definitions = [n.name for n in code_body(cell)
                           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
            grade_id = definitions[0]
            if grade_id in seen:
                raise MarkerError(f"{filename}: two solution cells define {grade_id!r}; "
                                  "give each exercise its own name")
            seen[grade_id] = index
            cell.metadata["nbgrader"] = nbgrader_meta(grade_id, solution=True)
        else:
            cell.metadata["nbgrader"] = nbgrader_meta(f"locked-{index:02d}", locked=True)
    return cells


def comment(text):
    return textwrap.fill(text, width=99, initial_indent="# ", subsequent_indent="# ")


def test_cell(part, graded, hidden_number):
    """The autograded cell of one check; a hidden one is named by number, never by the check."""
    points = f"{graded.points:g} point{'s' if graded.points != 1 else ''}"
    call = ["from autograder.execute.notebook import grade_cell",
            f"_result = grade_cell({part}, {graded.name!r}, globals())",
            "assert _result.passed, _result.message"]
    if graded.hidden:
        lines = [comment(f"Hidden test, {points}: it runs when your notebook is graded."),
                 "### BEGIN HIDDEN TESTS", *call, "### END HIDDEN TESTS"]
    else:
        lines = [comment(f"Test, {points}. {graded.summary}"), *call]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    grade_id = f"hidden-test-{hidden_number}" if graded.hidden else f"check_{graded.name}"
    cell.metadata["nbgrader"] = nbgrader_meta(grade_id, grade=True, locked=True, points=graded.points)
    return cell


def add_test_cells(cells, part, checks, filename):
    where = {}  # name -> index of the last cell that binds it
    for index, cell in enumerate(cells):
        if cell.cell_type == "code":
            for name in defined_names(cell):
                where[name] = index
    after = {}  # cell index -> [test cells]
    for graded in checks:
        missing = [name for name in graded.wants if name not in where]
        if missing:
            raise MarkerError(f"{filename}: check {graded.name!r} takes {missing[0]!r}, which no "
                              "cell of the notebook defines")
        last = max(where[name] for name in graded.wants) if graded.wants else len(cells) - 1
        hidden_number = sum(c.hidden for c in checks[:checks.index(graded) + 1])
        after.setdefault(last, []).append(test_cell(part, graded, hidden_number))
    result = []
    for index, cell in enumerate(cells):
        result.append(cell)
        result += after.get(index, [])
    return result


def add_setup_cell(cells):
    source = "\n".join([
        comment("Setup: run this cell first. It keeps TensorFlow quiet (a test cell that writes "
                "to stderr is scored as failed); the test cells below grade your code with the "
                "course's checks."),
        "from autograder.execute.notebook import setup_notebook",
        "",
        "setup_notebook()"])
    setup = nbformat.v4.new_code_cell(source)
    setup.metadata["nbgrader"] = nbgrader_meta("setup", locked=True)
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    return cells[:first_code] + [setup] + cells[first_code:]


GRADING_NOTE = """**How this notebook is graded.** The course's grader runs your notebook's code cells in
order, as Jupyter's *Run All* would, each cell with {cell} seconds at most, then grades what they
defined with the same checks as the test cells below (which tell you, while you work, what the
grader will say). A cell that raises an error, calls `sys.exit` or runs too long costs only its own
statements that are not definitions: its `def`, `class`, `import` and names bound to values (such as
`layers = tf.keras.layers`) still count, and the feedback says which cell lost what. Your code runs
apart from everything else, in a sandbox: it may read your notebook and Python's files, and write
only in a folder of its own."""


def add_grading_note(cells):
    """A locked markdown cell, before the setup cell, saying how the notebook is graded."""
    from autograder.checkkit.limits import CELL_SECONDS

    note = nbformat.v4.new_markdown_cell(GRADING_NOTE.format(cell=CELL_SECONDS))
    note.metadata["nbgrader"] = nbgrader_meta("grading-note", locked=True)
    setup = next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    return cells[:setup] + [note] + cells[setup:]


def number_cells(cells):
    seen = set()
    for cell in cells:
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if grade_id in seen:
            raise MarkerError(f"two cells have the grade id {grade_id!r}")
        seen.add(grade_id)
        cell["id"] = re.sub(r"[^A-Za-z0-9_-]", "-", grade_id)[:64]
    return cells


def lint(notebook_text, filename):
    """Problems of a generated notebook, as lines: mis-encoded metadata, duplicate ids."""
    problems = []
    notebook = json.loads(notebook_text)
    for index, cell in enumerate(notebook["cells"]):
        if "incorrectly_encoded_metadata" in cell.get("metadata", {}):
            problems.append(f"{filename}: cell {index} has incorrectly_encoded_metadata")
        if "nbgrader" not in cell.get("metadata", {}):
            problems.append(f"{filename}: cell {index} has no nbgrader metadata")
    return problems
