"""Find reference code in what learners receive.

Every statement inside a solution region (`### BEGIN SOLUTION` ... `### END SOLUTION`) is
normalised: parsed, its local names (the enclosing functions' arguments and assignments)
renamed by order of appearance, so formatting, comments and a renamed variable change nothing:

    history = model.fit(images, labels, epochs=epochs, verbose=0)
    h = m.fit(x, y, epochs=n, verbose=0)          # both: _0 = _1.fit(_2, _3, epochs=_4, verbose=0)

`find_leaks(folder)` reads every Python file and notebook code cell under `folder` the same way
and reports each statement equal to a solution statement. A statement the stub itself hands out
is allowed: one in the stub's code, or one whose text (spaces aside) a stub comment quotes as a
hint ("Hint: tf.data.Dataset.from_tensor_slices((images, labels))").

Trivial statements carry no answer and are not compared: `pass`, a docstring, and statements
made only of local names (`y = f(x)`, `return model`).
"""

import ast
import json
import pathlib

from generate.regions import find_regions

ROOT = pathlib.Path(__file__).resolve().parent.parent
COMPOUND = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
            ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def local_names(function):
    """The names a function binds: its arguments and every name it assigns."""
    arguments = function.args
    names = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, FUNCTIONS) and node is not function:
            names |= local_names(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


class _Rename(ast.NodeTransformer):
    def __init__(self, local):
        self.local, self.seen = local, {}

    def visit_Name(self, node):
        if node.id in self.local:
            placeholder = self.seen.setdefault(node.id, f"_{len(self.seen)}")
            return ast.copy_location(ast.Name(placeholder, node.ctx), node)
        return node

    def visit_arg(self, node):  # a lambda's arguments
        if node.arg in self.local:
            node = ast.arg(self.seen.setdefault(node.arg, f"_{len(self.seen)}"), None)
        return node


def is_trivial(statement, local):
    """A statement that carries no answer: `pass`, a docstring, or one made of locals only
    (`y = f(x)`, `return model`), which matches any code that passes values around."""
    if isinstance(statement, (ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True
    meaningful = [n for n in ast.walk(statement)
                  if isinstance(n, (ast.Attribute, ast.Constant, ast.keyword, ast.BinOp, ast.Compare,
                                    ast.Subscript, ast.UnaryOp, ast.BoolOp))
                  or (isinstance(n, ast.Name) and n.id not in local)]
    return not meaningful


def normalised(statement, local):
    """The statement's shape with locals renamed, as one string."""
    import copy

    renamed = _Rename(local).visit(copy.deepcopy(statement))
    return ast.dump(renamed, annotate_fields=False, include_attributes=False)


def statements(tree):
    """(statement, locals in scope) for every simple statement of `tree`, at any depth."""
    def walk(body, local):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(node.body, local | local_names(node))
            elif isinstance(node, COMPOUND):
                for field in ("body", "orelse", "finalbody"):
                    yield from walk(getattr(node, field, []), local)
                for handler in getattr(node, "handlers", []):
                    yield from walk(handler.body, local)
                for case in getattr(node, "cases", []):
                    yield from walk(case.body, local)
            elif not is_trivial(node, local):
                yield node, local

    yield from walk(tree.body, frozenset())


def solution_statements(root=ROOT):
    """{normalised form: "solutions/file.py:line: source"} of every solution region's statements."""
    found = {}
    for path in sorted((pathlib.Path(root) / "solutions").glob("part[0-9]_*.py")):
        text = path.read_text()
        inside = set()
        for region in find_regions(text, path.name):
            inside.update(range(region.begin + 1, region.end + 2))  # 1-based lines strictly inside
        lines = text.splitlines()
        for statement, local in statements(ast.parse(text)):
            if statement.lineno in inside:
                where = f"solutions/{path.name}:{statement.lineno}: {lines[statement.lineno - 1].strip()}"
                found.setdefault(normalised(statement, local), where)
    return found


def squeezed(text):
    return "".join(text.split())


def handed_out(root=ROOT):
    """What the stubs give away: (normalised statements of their code, their comments' text)."""
    from generate.stubs import make_stub

    code, comments = set(), []
    for path in sorted((pathlib.Path(root) / "solutions").glob("part[0-9]_*.py")):
        stub = make_stub(path.read_text(), path.name)
        code |= {normalised(s, local) for s, local in statements(ast.parse(stub))}
        comments += [line.split("#", 1)[1] for line in stub.splitlines() if "#" in line]
    return code, squeezed(" ".join(comments))


def python_sources(folder):
    """(label, source text) of every .py file and notebook code cell under `folder`."""
    folder = pathlib.Path(folder)
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        label = str(path.relative_to(folder))
        if path.suffix == ".py":
            yield label, path.read_text(errors="replace")
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text()).get("cells", [])
            for index, cell in enumerate(cells):
                if cell.get("cell_type") == "code":
                    source = cell.get("source", "")
                    yield f"{label} (cell {index})", "".join(source) if isinstance(source, list) else source


def magic_free(source):
    """A notebook cell without IPython's `%magic` and `!shell` lines (not Python)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def quoted(statement, source, comments):
    """Does a stub comment quote this statement, or the value it assigns, as a hint?"""
    parts = [statement]
    if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and statement.value:
        parts.append(statement.value)
    texts = [squeezed(ast.get_source_segment(source, part) or "") for part in parts]
    return any(text and text in comments for text in texts)


def find_leaks(folder, root=ROOT):
    """["file:line: statement (equals solutions/...:line: ...)"] for every solution statement
    found in the Python code under `folder` that the stubs do not hand out."""
    solutions = solution_statements(root)
    stub_code, stub_comments = handed_out(root)
    leaks = []
    for label, source in python_sources(folder):
        try:
            tree = ast.parse(magic_free(source))
        except SyntaxError:
            continue  # not Python: nothing to compare
        lines = source.splitlines()
        for statement, local in statements(tree):
            form = normalised(statement, local)
            if form not in solutions or form in stub_code:
                continue
            if quoted(statement, magic_free(source), stub_comments):
                continue
            line = lines[statement.lineno - 1].strip() if statement.lineno <= len(lines) else ""
            leaks.append(f"{label}:{statement.lineno}: {line} (equals {solutions[form]})")
    return leaks


def main(argv=None):
    """`python -m handout.leaks FOLDER...`: list the leaks; exit 1 if there is any."""
    import sys

    folders = (argv if argv is not None else sys.argv[1:]) or ["."]
    leaks = [f"{folder}/{leak}" for folder in folders for leak in find_leaks(folder)]
    print("\n".join(leaks) if leaks else "no solution statement found")
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
