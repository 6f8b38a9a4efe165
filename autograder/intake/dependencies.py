"""What each check's outcome depends on in a learner's file, read with `ast` alone (never run).

Runs in the parent (`make grade --store`, `make watch`): it parses and compiles the learner's
file, and never imports or executes it. Imports nothing of TensorFlow.

A check receives the learner's objects it names (registry's `Check.wants`). Its outcome depends on:

- the file's *skeleton*: everything that runs when the file is imported (imports, assignments,
  module-level statements, class bodies, decorators, default values and annotations), with the
  bodies of functions left out; and the whole definition of every function that code reaches
  (`print(standardize(x))` at module level runs standardize at import). Whatever runs at import
  can make the import fail, and that costs every check, so the skeleton is part of every key,
  but for the definitions some check takes: those are in the keys of the checks taking them, and
  an import that fails once they changed makes the part graded again whole (reuse.py);
- the *closure* of the names it wants: every module-level statement binding one of them, and,
  transitively, every statement binding a module-level name those statements refer to
  (functions, classes, constants, imports; decorators and default values included).

Both are compared as ASTs without line numbers, comments or docstrings: a comment or a docstring
edited leaves the key alone, a default value does not. Where a file's meaning may reach past what
its names say (`globals()`, `eval`, a library's settings changed while a check runs: unsure.py),
the analysis is *unsure* and the key of every check covers the whole file.

Checks that share a learner object that holds state (a function, a class, a value that is not
an immutable literal) are *grouped*: one check of a group graded again means all of them are, in
the same process and order as a fresh grading, so a `tf.function`'s traces or a list one check
appends to cannot differ.
"""

import ast
import contextlib
import dataclasses
import hashlib
import symtable

from autograder.intake.unsure import why_unsure


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A learner file read for keys: `unsure` says why every key covers the whole file (None
    when the analysis is sure)."""

    statements: list  # the top-level statements that run at import, in order
    references: list  # for each statement, the module-level names it may read
    dumps: list  # for each statement, its normalised AST
    bindings: dict  # module-level name -> indices of the statements binding it
    lines: list  # the file's lines, for layouts
    global_digest: str  # the skeleton and the functions it reaches
    whole_digest: str
    unsure: str | None

    def closure(self, wants):
        """Indices of the statements the names `wants` reach, in file order."""
        seen, todo, found = set(), list(wants), set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            for index in self.bindings.get(name, ()):
                if index not in found:
                    found.add(index)
                    todo.extend(self.references[index])
        return sorted(found)

    def digest(self, wants):
        """The part of a key that the learner's file gives a check taking `wants`."""
        if self.unsure:
            return self.whole_digest
        missing = sorted(name for name in wants if name not in self.bindings)
        return sha256(self.global_digest, *missing, "--", *(self.dumps[i] for i in self.closure(wants)))

    def stateful(self, wants):
        """The learner's names in the closure of `wants` that may hold state: all but modules
        (imports) and immutable literals (`NUM_CLASSES = 10`)."""
        names = set()
        for index in self.closure(wants):
            names |= bound_names(self.statements[index])
        return {name for name in names if not all(
            isinstance(self.statements[i], (ast.Import, ast.ImportFrom)) or immutable(self.statements[i])
            for i in self.bindings[name])}

    def layout(self, wants):
        """[(first line, last line, digest of its exact text)] of the closure's statements: what
        a message quoting "line N of your file" refers to."""
        spans = []
        for index in self.closure(wants):
            first, last = span(self.statements[index])
            spans.append((first, last, sha256("".join(self.lines[first - 1:last]))[:16]))
        return spans


def analyse(source, filename, first_party=(), wanted=()):
    """The Analysis of a learner's file for checks taking the names in `wanted` (one list per
    check). Raises SyntaxError or ValueError when Python cannot compile it (then nothing can be
    reused: it is graded whole). `first_party`: the top-level names of the course's own folders,
    whose import makes the analysis unsure."""
    # Compiled, never run: what ast.parse lets through ('return' outside a function) fails here.
    compile(source, filename, "exec", dont_inherit=True)
    tree = ast.parse(source, filename)
    unsure = why_unsure(tree, first_party)
    scopes = symtable.symtable(source, filename, "exec").get_children()
    for node in ast.walk(tree):  # docstrings out, in place: the tree is this function's own
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and is_docstring(node.body[0]):
            node.body = node.body[1:] or [ast.Pass()]
    statements = [s for s in tree.body if not is_main_block(s) and not is_docstring(s)]
    bindings = {}
    for index, statement in enumerate(statements):
        for name in bound_names(statement):
            bindings.setdefault(name, []).append(index)
    references, dumps, skeletons, at_import = [], [], [], set()
    for statement in statements:
        first, last = span(statement)
        references.append(reads(statement, [t for t in scopes if first <= t.get_lineno() <= last]))
        dumps.append(ast.dump(statement))
        with bodies_left_out(statement):
            skeletons.append(ast.dump(statement))
            at_import |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
    analysis = Analysis(statements, references, dumps, bindings, source.splitlines(keepends=True),
                        "", sha256(*dumps), unsure)
    # In every key: what runs at import, but a definition some check takes (its decorators,
    # defaults, class body) is in that check's key instead; when it breaks the import, that check
    # is graded, and the import's failure makes the whole part graded again (reuse.py).
    taken = set().union(*(analysis.closure(names) for names in wanted))
    definitions = {i for i, s in enumerate(statements)
                   if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    at_import_only = [skeletons[i] for i in range(len(statements)) if i not in definitions & taken]
    reached = analysis.closure(at_import)  # functions that run at import: whole
    return dataclasses.replace(analysis, global_digest=sha256(*at_import_only, "--", *(dumps[i] for i in reached)))


# ---------------------------------------------------------------- reading statements
def span(statement):
    """(first line, its decorators included; last line) of a top-level statement."""
    first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", [])])
    return first, statement.end_lineno


def is_docstring(statement):
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def is_main_block(statement):
    """`if __name__ == "__main__":` with no else: never runs when the grader imports the file."""
    if not isinstance(statement, ast.If) or statement.orelse:
        return False
    test = statement.test
    return (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and {ast.dump(test.left), ast.dump(test.comparators[0])}
            == {ast.dump(ast.Name("__name__", ast.Load())), ast.dump(ast.Constant("__main__"))})


def bound_names(statement):
    """The module-level names a top-level statement binds. (Module-level code that changes a
    value in place, `x.append(1)`, runs at import: it is in the skeleton, part of every key.)"""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    names = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def reads(statement, scopes):
    """The module-level names a top-level statement may read: for a function or a class, the
    names its decorators, defaults, annotations and bases mention, and the globals of its scopes
    (Python's own symbol tables: a local `n` is not the module's `n`); for any other statement,
    every name it mentions."""
    if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
    if isinstance(statement, ast.ClassDef):
        outside = [*statement.decorator_list, *statement.bases, *statement.keywords]
    else:
        outside = [*statement.decorator_list, statement.args, *filter(None, [statement.returns])]
    names = {n.id for node in outside for n in ast.walk(node) if isinstance(n, ast.Name)}
    todo = list(scopes)
    while todo:
        table = todo.pop()
        names |= {s.get_name() for s in table.get_symbols() if s.is_global()}
        todo.extend(table.get_children())
    return names


def immutable(statement):
    """`NUM_CLASSES = 10`, `SHAPE = (8, 8, 1)`: a binding that holds no state."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
        return False
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return all(isinstance(t, ast.Name) for t in targets) and is_literal(statement.value)


def is_literal(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple):
        return all(map(is_literal, node.elts))
    return isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)


@contextlib.contextmanager
def bodies_left_out(statement):
    """The statement as it runs at import: every function's body replaced by `pass`, meanwhile."""
    functions = [n for n in ast.walk(statement) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    bodies = [f.body for f in functions]
    for function in functions:
        function.body = [ast.Pass()]
    try:
        yield
    finally:
        for function, body in zip(functions, bodies):
            function.body = body


def sha256(*texts):
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()
