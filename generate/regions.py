"""Find nbgrader's solution regions in a solution file, and fail loudly on malformed markers.

    ### BEGIN SOLUTION
    ...the reference code...
    ### END SOLUTION

Every region must sit inside a function or method body: its stub raises NotImplementedError,
which must happen when the exercise is called, not when the learner's file is imported.
"""

import ast
import dataclasses

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


class MarkerError(ValueError):
    """A malformed solution file; the message names the file, the line and what to do."""


@dataclasses.dataclass(frozen=True)
class Region:
    begin: int  # 0-based index of the BEGIN line
    end: int  # 0-based index of the END line
    indent: str
    exercise: str  # the enclosing function, qualified: "DenseLayer.build"


def find_regions(text, filename):
    """The solution regions of `text`, in order; raises MarkerError on any malformed marker."""
    lines = text.splitlines()
    regions, open_at = [], None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("### BEGIN") or stripped.startswith("### END"):
            if stripped not in (BEGIN, END):
                raise MarkerError(f"{filename}:{index + 1}: unknown marker {stripped!r}; "
                                  f"write exactly {BEGIN!r} or {END!r}")
        if stripped == BEGIN:
            if open_at is not None:
                raise MarkerError(f"{filename}:{index + 1}: {BEGIN} inside the region opened at "
                                  f"line {open_at + 1}; close that one first with {END}")
            open_at = index
        elif stripped == END:
            if open_at is None:
                raise MarkerError(f"{filename}:{index + 1}: {END} without a {BEGIN} before it")
            indent = lines[open_at][: len(lines[open_at]) - len(lines[open_at].lstrip())]
            if not line.startswith(indent) or line[len(indent)] == " ":
                raise MarkerError(f"{filename}:{index + 1}: {END} is not indented like the "
                                  f"{BEGIN} at line {open_at + 1}")
            regions.append((open_at, index, indent))
            open_at = None
    if open_at is not None:
        raise MarkerError(f"{filename}:{open_at + 1}: no {END} for the {BEGIN} at line {open_at + 1}")
    functions = enclosing_functions(text, filename)
    result = []
    for begin, end, indent in regions:
        exercise = innermost(functions, begin + 2)  # the first line of solution code
        if exercise is None:
            raise MarkerError(f"{filename}:{begin + 1}: the solution region is not inside a "
                              "function body; put it in the exercise's function so the stub "
                              "raises when called, not on import")
        result.append(Region(begin, end, indent, exercise))
    return result


def enclosing_functions(text, filename):
    """[(first line, last line, qualified name)] of every function and method (1-based lines)."""
    try:
        tree = ast.parse(text, filename)
    except SyntaxError as error:
        raise MarkerError(f"{filename}:{error.lineno}: syntax error: {error.msg}") from None
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                found.append((child.lineno, child.end_lineno, name))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def innermost(functions, line):
    """The innermost function whose body holds `line`, or None.

    Only the region's first line is tested: comments after a body's last statement (an END
    marker, say) lie outside the function's line range in the AST.
    """
    holding = [f for f in functions if f[0] < line <= f[1]]
    return max(holding, key=lambda f: f[0])[2] if holding else None
