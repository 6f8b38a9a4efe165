"""A learner's notebook as the Python file the grader grades.

The course's notebooks are generated from the solution files (generate/notebooks.py): locked
cells hold the course's code, solution cells the learner's answers, test cells the checks. The
grader never runs a notebook. It builds one module from it, in the released notebook's order,
and grades that module as it grades `partN_*.py` (supervise/: child processes, limits, tamper guard,
hidden checks):

    a locked code cell      the released code, whatever the submission holds there
    a solution cell         the learner's cell, found by its grade id (the last one when ids repeat);
                            one that is missing is the released stub ("not attempted"), never
                            the source notebook's reference; one that does not compile is
                            replaced by the stub raising that syntax error, so the other
                            exercises are still graded
    a cell the learner added   only its definitions: `def`, `class`, `import`, and assignments of
                            literals, so a helper function counts while an exploratory cell that
                            trains for minutes, loops or calls sys.exit cannot block grading
    setup and test cells    left out: the checks come from the grader itself

IPython's `%magic` and `!shell` lines are not Python and are left out with a note. The result
says, line by line, which cell each line came from, so a message about "line 57 of your file" can
name the cell instead. Only the standard library is used: Gradescope's image grades notebooks too.
"""

import ast
import dataclasses
import json
import re

GRADER_CELLS = {"setup"}  # locked cells that only prepare the kernel for test cells
# nbgrader's solution markers, spelt as patterns: a release is audited for the literal markers
REGION_BEGIN, REGION_END = re.compile(r"###\s+BEGIN\s+SOLUTION$"), re.compile(r"###\s+END\s+SOLUTION$")


@dataclasses.dataclass
class Module:
    source: str  # the module's text
    origins: list  # for each line of `source` (0-based): (cell label, line in that cell) or None
    notes: list  # sentences for the learner and the instructor, one per thing worth saying

    def where(self, line):
        """'line 3 of the cell `standardize`' for a 1-based line of the module, or None."""
        origin = self.origins[line - 1] if 0 < line <= len(self.origins) else None
        return None if origin is None else f"line {origin[1]} of {origin[0]}"


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


def definitions_only(source):
    """(the definitions of a learner's extra cell, how many other statements were left out)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "", 1
    kept, dropped, lines = [], 0, source.splitlines()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
                             ast.ImportFrom)) or is_literal_assignment(node):
            start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            kept.append((start, node.end_lineno))
        else:
            dropped += 1
    keep = {n for start, end in kept for n in range(start, end + 1)}
    return "\n".join(line if n in keep else "" for n, line in enumerate(lines, 1)), dropped


def is_literal_assignment(node):
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
        return False
    try:
        ast.literal_eval(node.value)
    except ValueError:
        return False
    return True


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

    parts, origins, dropped_total, magic_total = [], [], 0, 0

    def add(source, label):
        lines = source.splitlines() or [""]
        parts.append("\n".join(lines))
        origins.extend((label, n) if label else None for n in range(1, len(lines) + 1))
        parts.append("")  # a blank line between cells
        origins.append(None)

    def add_extras(after):
        nonlocal dropped_total, magic_total
        for index, cell in extra_after.get(after, []):
            source, magics = without_magics(text_of(cell))
            kept, dropped = definitions_only(source)
            dropped_total, magic_total = dropped_total + dropped, magic_total + magics
            if kept.strip():
                add(kept, f"the cell you added (cell {index + 1})")

    add(f"# {filename}: the learner's notebook, as the grader grades it (autograder/intake/from_notebook.py)", None)
    add_extras(None)
    for cell in released["cells"]:
        grade_id, what = nbgrader(cell).get("grade_id"), kind(cell)
        if what == "code":
            add(without_magics(text_of(cell))[0], None)
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
            add(source, label)
        add_extras(grade_id)
    if dropped_total:
        notes.append(f"{dropped_total} statement{'s' if dropped_total != 1 else ''} in cells you "
                     "added (calls, loops, training, prints) did not run when grading: only the "
                     "solution cells and the definitions (def, class, import) of added cells are graded.")
    if magic_total:
        notes.append(f"{magic_total} IPython line{'s' if magic_total != 1 else ''} (`%magic` or "
                     "`!command`) did not run when grading: they are not Python.")
    source = "\n".join(parts)
    if re.search(r"^\s*(import|from)\s+autograder\b", source, re.MULTILINE):
        notes.append("Your code imports the course's grader. Grading does not run your notebook's "
                     "test cells, so replacing grade_cell or what they print changes nothing; "
                     "replacing a function the grader itself relies on costs the part.")
    return Module(source, origins[:len(source.splitlines())], notes)
