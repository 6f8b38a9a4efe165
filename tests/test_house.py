"""The grader's house by job: which folder may import which (the table in autograder/__init__.py),
no import circle, and the sides of the process boundary kept (the parent never imports
TensorFlow, nothing shipped to learners imports the class tools)."""

import ast
import re
import subprocess
import sys

import autograder
from conftest import ROOT

PACKAGES = ("autograder", "classroom", "handout", "generate", "materials", "coursekit")
TABLE = re.compile(r"^    (?P<importer>[a-z][\w.]*) {2,}(?P<allowed>.*)$", re.MULTILINE)
NO_TENSORFLOW = ("autograder.feedback", "autograder.intake", "autograder.supervise", "classroom.review")


def rules():
    """{importer prefix: {allowed prefixes}} read from the table in autograder/__init__.py (a row
    may go on, more indented, on the lines below it)."""
    table = autograder.__doc__.split("    importer", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[1:]:
        match = TABLE.fullmatch(line)
        if match:
            rows.append([match["importer"], match["allowed"].strip()])
        elif line.strip():
            rows[-1][1] += " " + line.strip()
    return {importer: set() if allowed.startswith("(") else {a.strip() for a in allowed.split(",") if a.strip()}
            for importer, allowed in rows}


def module_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def modules():
    """{module name: path} of every Python module in the repository's packages."""
    return {module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if "__pycache__" not in path.parts and "templates" not in path.parts}


def imports(path, name, known):
    """The first-party modules and the third-party top-level packages `path` imports, anywhere
    in it (a function's lazy import counts too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found, external = set(), set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        for target in targets:
            if target.split(".")[0] in PACKAGES:
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                found.add(target)
            else:
                external.add(target.split(".")[0])
    return found - {name}, external


def owner(name, table):
    """The table's row a module falls under: the longest importer prefix of its name."""
    rows = [row for row in table if name == row or name.startswith(row + ".")]
    return max(rows, key=len) if rows else None


def within(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def test_every_import_follows_the_table():
    """Does every module of the repository's packages import only its own folder and what the
    table in autograder/__init__.py lets its folder import?"""
    table, known = rules(), modules()
    assert {"autograder.checks", "autograder.execute", "autograder.supervise", "classroom"} <= set(table)
    wrong = []
    for name, path in known.items():
        row = owner(name, table)
        assert row is not None, f"{name}: no row of the table covers it"
        for target in sorted(imports(path, name, known)[0]):
            if within(target, row) and owner(target, table) == row:
                continue
            if not any(within(target, allowed) for allowed in table[row]):
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports the table does not allow:\n  " + "\n  ".join(wrong)


def strongly_connected(graph):
    """The groups of modules that import each other, directly or not (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circle():
    """Is there no circle of imports among the repository's modules (lazy imports included)?"""
    known = modules()
    graph = {name: imports(path, name, known)[0] for name, path in known.items()}
    circles = [sorted(group) for group in strongly_connected(graph) if len(group) > 1]
    assert not circles, f"modules that import each other: {circles}"


def test_tensorflow_stays_out_of_wording_intake_and_the_parent():
    """Do feedback/, intake/ and supervise/ leave TensorFlow and Keras unimported, and does
    autograder/ (what ships to learners) leave Dask and the class tools out?"""
    known = modules()
    for name, path in known.items():
        found, external = imports(path, name, known)
        if any(within(name, folder) for folder in NO_TENSORFLOW):
            assert not external & {"tensorflow", "keras"}, name
        if within(name, "autograder"):
            assert not external & {"dask", "distributed"}, name
            assert not [t for t in found if within(t, "classroom")], name


def test_the_parent_and_the_class_review_never_import_tensorflow():
    """Does importing `make grade`'s parent (its command line, parts, fork server) and the review
    of a graded class (report, similarity, LMS export) leave TensorFlow unimported, so that they
    stay small, start quick and print nothing of TensorFlow's?"""
    code = ("import sys, autograder.supervise.cli, autograder.supervise.part_grading, "
            "classroom.review.class_report, classroom.review.similarity, classroom.review.lms_export; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_each_folder_says_what_it_does_and_where_it_runs():
    """Does every package of the grader and the class tools open with a docstring that says on
    which side of the process boundary it runs and what it may import?"""
    for folder in ["autograder", *(f"autograder/{d}" for d in ("checkkit", "checks", "feedback", "intake",
                                                                 "execute", "supervise")), "classroom", "classroom/review"]:
        doc = ast.get_docstring(ast.parse((ROOT / folder / "__init__.py").read_text())) or ""
        assert re.search(r"\bruns\b|\brun in\b", doc, re.IGNORECASE), folder
        assert "import" in doc, folder
