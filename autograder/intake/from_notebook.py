"""A learner's notebook as the Python file the grader grades, cell by cell, as Jupyter runs it.

The course's notebooks are generated from the solution files (generate/notebooks.py): locked
cells hold the course's code, solution cells the learner's answers, test cells the checks. The
grader builds one module from a notebook, in the released notebook's order, and a list of its
cells; the grading process runs the cells one after another, each under a time budget of its own
(execute/learner_module.py), and grades the module as it grades `partN_*.py` (supervise/: child
processes, limits, sandbox, tamper guard, hidden checks):

    a locked code cell      the released code, whatever the submission holds there
    a solution cell         the learner's cell, found by its grade id (the last one when ids repeat);
                            one that is missing is the released stub ("not attempted"), never
                            the source notebook's reference; one that does not compile is
                            replaced by the stub raising that syntax error, so the other
                            exercises are still graded
    a cell the learner added   the whole cell, where the learner put it (one that does not
                            compile is left out with a note, as Jupyter would not have run it)
    setup and test cells    left out: the checks come from the grader itself

A cell that raises, calls sys.exit or runs past its budget costs only its own statements that
are not definitions: the grading process says which, by cell. IPython's `%magic` and `!shell`
lines are not Python and are left out with a note. The result says, line by line, which cell
each line came from, so a message about "line 57 of your file" can name the cell instead. Only
the standard library is used: Gradescope's image grades notebooks too.
"""

import ast
import dataclasses
import json
import pathlib
import re

GRADER_CELLS = {"setup"}  # locked cells that only prepare the kernel for test cells
# nbgrader's solution markers, spelt as patterns: a release is audited for the literal markers
REGION_BEGIN, REGION_END = re.compile(r"###\s+BEGIN\s+SOLUTION$"), re.compile(r"###\s+END\s+SOLUTION$")


CELLS_SUFFIX = ".cells.json"  # beside the module: its cells, for the grading process to run one by one
WHERE_IN_FILE = re.compile(r"line (\d+) of your file")


@dataclasses.dataclass
class Module:
    source: str  # the module's text
    origins: list  # for each line of `source` (0-based): (cell label, line in that cell) or None
    notes: list  # sentences for the learner and the instructor, one per thing worth saying
    cells: list = dataclasses.field(default_factory=list)  # {"label", "first", "last"}: each code
    # cell's lines in `source` (1-based, inclusive), in the order the grading process runs them

    def where(self, line):
        """'line 3 of the cell `standardize`' for a 1-based line of the module, or None."""
        origin = self.origins[line - 1] if 0 < line <= len(self.origins) else None
        return None if origin is None else f"line {origin[1]} of {origin[0]}"

    def write(self, folder, name):
        """Write the module as `folder/name.py` and its cells beside it; return the module's path."""
        path = pathlib.Path(folder) / f"{name}.py"
        path.write_text(self.source)
        cells_path(path).write_text(json.dumps(self.cells))
        return path


def cells_path(module_path):
    """Where the cells of the module at `module_path` are, when it was made from a notebook."""
    return pathlib.Path(module_path).with_suffix(CELLS_SUFFIX)


def read_cells(module_path):
    """The cells of a module made from a notebook, or None for a plain `.py` file."""
    path = cells_path(module_path)
    return json.loads(path.read_text()) if path.is_file() else None


def located(message, cells):
    """`message` with "line N of your file" turned into the notebook cell's line, for a module
    made from a notebook (its `cells`)."""
    def replace(match):
        number = int(match.group(1))
        cell = next((c for c in cells if c["first"] <= number <= c["last"]), None)
        if cell is None:
            return match.group(0)
        return f"line {number - cell['first'] + 1} of {cell['label']}"

    return WHERE_IN_FILE.sub(replace, message)


def read(path):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def text_of(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def kind(cell):
    """solution, test, grader (setup), code (locked course code), or None (markdown and such)."""
    meta = nbgrader(cell)
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    if meta.get("grade_id") in GRADER_CELLS:
        return "grader"
    return "code" if cell.get("cell_type") == "code" else None


def without_magics(source):
    """(source with `%`/`!` lines blanked, how many there were). A `%%cell` magic's body stays."""
    lines, dropped = [], 0
    for line in source.splitlines():
        if line.lstrip().startswith(("%", "!")):
            lines.append("")
            dropped += 1
        else:
            lines.append(line)
    return "\n".join(lines), dropped


STATIC = (ast.Name, ast.Attribute, ast.Constant, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
          ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Load, ast.operator, ast.unaryop, ast.boolop,
          ast.cmpop, ast.expr_context)  # what an assignment may hold and still be a definition


def is_definition(node):
    """Does this top-level statement only define something (def, class, import, or a name bound
    to a value made of names, attributes and literals: `layers = tf.keras.layers`, `SCALE = 1 / 16`)?
    Calls, loops, prints and training are not definitions."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return all(isinstance(part, STATIC) for part in ast.walk(node.value))
    return False


def syntax_problem(source):
    """'line 3: invalid syntax' for a cell that does not compile, else None."""
    try:
        compile(source, "<cell>", "exec")
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    return None


def stub_of(text):
    """A solution cell as nbgrader releases it: each solution region cleared to the stub, so a
    source notebook's reference code is never graded in place of the learner's."""
    lines, inside = [], False
    for line in text.split("\n"):
        if REGION_BEGIN.match(line.strip()):
            indent = line[: len(line) - len(line.lstrip())]
            lines += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
            inside = True
        elif REGION_END.match(line.strip()):
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def stub_raising(stub, problem, label):
    """The released stub of a solution cell, raising the learner's syntax error when called."""
    message = f"{label} has a syntax error at {problem}; fix it and the checks of this exercise will run"
    return stub.replace("raise NotImplementedError()", f"raise SyntaxError({message!r})")


def learner_module(submitted, released, filename="notebook"):
    """The Module to grade for notebook `submitted` (a dict, as json.load gives it), whose
    assignment was released as `released` (the release or the source notebook: only its locked
    code and the order of its cells are used, never its solutions)."""
    by_id, extra_after, notes = {}, {}, []
    released_ids = {nbgrader(c).get("grade_id") for c in released["cells"]} - {None}
    last_index = {}
    for index, cell in enumerate(submitted["cells"]):
        grade_id = nbgrader(cell).get("grade_id")
        if grade_id in released_ids:
            last_index[grade_id] = index
    anchor, repeated = None, set()
    for index, cell in enumerate(submitted["cells"]):
        grade_id = nbgrader(cell).get("grade_id")
        if grade_id in released_ids and last_index[grade_id] == index:
            by_id[grade_id], anchor = cell, grade_id
        else:
            if grade_id in released_ids:
                repeated.add(grade_id)
            if cell.get("cell_type") == "code" and text_of(cell).strip():
                extra_after.setdefault(anchor, []).append((index, cell))
    if repeated:
        notes.append("Several cells carry the id of " + ", ".join(f"`{i}`" for i in sorted(repeated))
                     + "; the last one is graded, the others count as cells you added.")

    parts, origins, cells, magic_total = [], [], [], 0

    def add(source, label, cell_label=None):
        """Add a code cell's lines (or the header, with no cell label)."""
        lines = source.splitlines() or [""]
        first = len(origins) + 1
        parts.append("\n".join(lines))
        origins.extend((label, n) if label else None for n in range(1, len(lines) + 1))
        if cell_label:
            cells.append({"label": cell_label, "first": first, "last": first + len(lines) - 1})
        parts.append("")  # a blank line between cells
        origins.append(None)

    def add_extras(after):
        nonlocal magic_total
        for index, cell in extra_after.get(after, []):
            source, magics = without_magics(text_of(cell))
            magic_total += magics
            label = f"the cell you added (cell {index + 1})"
            problem = syntax_problem(source)
            if problem:
                notes.append(f"{label[0].upper()}{label[1:]} has a syntax error at {problem}: it did "
                             "not run when grading, as Jupyter would not have run it.")
            elif source.strip():
                add(source, label, label)

    add(f"# {filename}: the learner's notebook, as the grader grades it (autograder/intake/from_notebook.py)", None)
    add_extras(None)
    for number, cell in enumerate(released["cells"], 1):
        grade_id, what = nbgrader(cell).get("grade_id"), kind(cell)
        if what == "code":
            add(without_magics(text_of(cell))[0], None, f"the course's cell {grade_id or number}")
        elif what == "solution":
            label = f"the cell `{grade_id}`"
            mine, stub = by_id.get(grade_id), stub_of(text_of(cell))
            source, magics = without_magics(text_of(mine) if mine is not None else stub)
            magic_total += magics
            problem = syntax_problem(source)
            if problem:
                notes.append(f"{label[0].upper()}{label[1:]} has a syntax error at {problem}: its "
                             "exercise scores zero, every other one is graded.")
                source = stub_raising(stub, problem, label)
            add(source, label, label)
        add_extras(grade_id)
    if magic_total:
        notes.append(f"{magic_total} IPython line{'s' if magic_total != 1 else ''} (`%magic` or "
                     "`!command`) did not run when grading: they are not Python.")
    source = "\n".join(parts)
    if re.search(r"^\s*(import|from)\s+autograder\b", source, re.MULTILINE):
        notes.append("Your code imports the course's grader. Grading does not run your notebook's "
                     "test cells, so replacing grade_cell or what they print changes nothing; "
                     "replacing a function the grader itself relies on costs the part.")
    return Module(source, origins[:len(source.splitlines())], notes, cells)
