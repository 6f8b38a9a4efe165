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
import re

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


# ---------------------------------------------------------------- prose: hints and messages
CODE_SPAN = re.compile(r"`([^`]+)`")
CALL_START = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*\(")
ASSIGNMENT = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*(?:\[[^\]]*\])? [-+*/]?= ")


def balanced_end(text, opening):
    """The index just after the parenthesis that closes the one at `opening`, or None."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return None


def call_at(text, start):
    """The call expression starting at `start` (a dotted name and its parentheses, then any
    `.name(...)` that follows), or None."""
    match = CALL_START.match(text, start)
    if not match:
        return None
    end = balanced_end(text, match.end() - 1)
    while end is not None and (chained := re.match(r"\.[A-Za-z_]\w*(?:\(|\b)", text[end:])):
        if not chained[0].endswith("("):
            end += len(chained[0])
            continue
        end = balanced_end(text, end + len(chained[0]) - 1)
    return text[start:end] if end else None


def code_fragments(text):
    """The pieces of `text` (prose: a hint, a message) that may be Python code: each `code span`,
    each call, `name.attr(...)` with its parentheses, and each `target = value` whose value is a
    call or one word."""
    fragments = list(CODE_SPAN.findall(text))
    for match in CALL_START.finditer(text):
        fragments.append(call_at(text, match.start()))
    for match in ASSIGNMENT.finditer(text):
        value = call_at(text, match.end()) or re.match(r"[\w.\"']+", text[match.end():])
        value = value if isinstance(value, str) or value is None else value[0]
        if value:
            fragments.append(text[match.start():match.end()] + value)
    return [f.strip().rstrip(".,;:") for f in fragments if f]


def module_names(root=ROOT):
    """The names the solution files bind at module level (imports, functions, classes, settings)
    and Python's builtins: what a hint's code refers to without binding it."""
    import builtins

    names = set(dir(builtins))
    for path in sorted((pathlib.Path(root) / "solutions").glob("part[0-9]_*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


def fragment_forms(fragment, known):
    """The normalised forms of a fragment of prose that parses as Python: each statement's, and
    for an expression also the expression's alone (as a solution's assigned value is compared).
    Names that `known` lacks count as the fragment's locals."""
    try:
        tree = ast.parse(fragment)
    except (SyntaxError, ValueError):
        return set()
    local = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - known
    forms = set()
    for statement in tree.body:
        if is_trivial(statement, local):
            continue
        forms.add(normalised(statement, local))
        if isinstance(statement, ast.Expr):
            forms.add(normalised(statement.value, local))
    return forms


def solution_forms(root=ROOT):
    """{normalised form: where} of every solution statement and of every value one assigns or
    returns (`loss = <value>`: a hint that gives the value gives the answer)."""
    found = dict(solution_statements(root))
    for path in sorted((pathlib.Path(root) / "solutions").glob("part[0-9]_*.py")):
        text = path.read_text()
        inside = set()
        for region in find_regions(text, path.name):
            inside.update(range(region.begin + 1, region.end + 2))
        lines = text.splitlines()
        for statement, local in statements(ast.parse(text)):
            value = getattr(statement, "value", None)
            if statement.lineno in inside and isinstance(value, ast.expr) and not is_trivial(ast.Expr(value), local):
                where = f"solutions/{path.name}:{statement.lineno}: {lines[statement.lineno - 1].strip()}"
                found.setdefault(normalised(value, local), where)
    return found


def find_leaks_in_text(texts, root=ROOT):
    """["fragment (equals solutions/...:line: ...)"] for every piece of code in `texts` (hints,
    messages: prose) that states a solution statement or a value one assigns, and that the stubs
    do not hand out (their code, or their comments' hints)."""
    known = module_names(root)
    solutions = solution_forms(root)
    stub_code, _ = handed_out(root)
    allowed = set(stub_code)
    for path in sorted((pathlib.Path(root) / "solutions").glob("part[0-9]_*.py")):
        from generate.stubs import make_stub

        stub = make_stub(path.read_text(), path.name)
        for line in stub.splitlines():
            if "#" in line:
                for fragment in code_fragments(line.split("#", 1)[1]):
                    allowed |= fragment_forms(fragment, known)
    leaks = []
    for text in texts:
        for fragment in code_fragments(text):
            for form in fragment_forms(fragment, known) - allowed:
                if form in solutions:
                    leaks.append(f"{fragment} (equals {solutions[form]})")
    return list(dict.fromkeys(leaks))


def main(argv=None):
    """`python -m handout.leaks FOLDER...`: list the leaks; exit 1 if there is any."""
    import sys

    folders = (argv if argv is not None else sys.argv[1:]) or ["."]
    leaks = [f"{folder}/{leak}" for folder in folders for leak in find_leaks(folder)]
    print("\n".join(leaks) if leaks else "no solution statement found")
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
