"""A class for the similarity tests: learners who wrote their own code, and one who copied.

tests/similar_submissions/partN/<learner>.py holds what each learner wrote in place of every
`# YOUR CODE HERE` of the part's stub, one `# ---- <exercise>` section each (the stub names the
exercise in its NotImplementedError). `learner_file` fills the stub with them, as the learner
handed it in; `learner_notebook` fills the course's notebook instead. `disguised` is what a
copier does to someone else's sections: every local renamed, comments dropped, the code
re-formatted (ast.unparse).
"""

import ast
import builtins
import copy
import json
import re

from autograder.checkkit.registry import PARTS
from autograder.intake import from_notebook
from conftest import ROOT

SUBMISSIONS = ROOT / "tests" / "similar_submissions"
SECTION = re.compile(r"^# ---- (\S+)\n", re.MULTILINE)
NEW_NAMES = ["alpha", "beta", "gamma", "delta", "kappa", "theta", "omega", "zeta", "sigma_",
             "lam", "rho", "tau", "phi", "psi", "chi", "nu"]


def stub(part):
    return (ROOT / "exercises" / f"{PARTS[part]}.py").read_text()


def answers(path):
    """{exercise: the code written in its place} of an answer file."""
    pieces = SECTION.split(path.read_text())[1:]
    return {name: code.strip("\n") + "\n" for name, code in zip(pieces[::2], pieces[1::2])}


def learner_file(part, written):
    """The stub of `part` with each exercise's `# YOUR CODE HERE` replaced by `written[exercise]`."""
    text = stub(part)
    for exercise, code in written.items():
        pattern = re.compile(rf"^( *)# YOUR CODE HERE\n *raise NotImplementedError\(\"part{part}: "
                             rf"{re.escape(exercise)}\"\)\n", re.MULTILINE)
        match = pattern.search(text)
        assert match, f"no region {exercise} in the part {part} stub"
        indented = "".join(match[1] + line if line.strip() else line for line in code.splitlines(True))
        text = text[:match.start()] + indented + text[match.end():]
    return text


def learner_notebook(part, written):
    """The course's notebook of `part`, its solution cells answered with `written`."""
    source = from_notebook.read(ROOT / "course" / "source" / f"part{part}" / f"{PARTS[part]}.ipynb")
    notebook = copy.deepcopy(source)
    for cell in notebook["cells"]:
        if from_notebook.kind(cell) != "solution":
            continue
        text = from_notebook.stub_of(from_notebook.text_of(cell))
        grade_id = from_notebook.nbgrader(cell)["grade_id"]
        for exercise in [e for e in written if e.split(".")[0] == grade_id]:
            match = re.search(r"^( *)# YOUR CODE HERE\n *raise NotImplementedError\(\)\n?", text, re.MULTILINE)
            indented = "".join(match[1] + line if line.strip() else line
                               for line in written[exercise].splitlines(True))
            text = text[:match.start()] + indented + text[match.end():]
        cell["source"] = text
    return json.dumps(notebook, indent=1)


def protected_names(part, exercise):
    """The names the stub's own code around a region uses (parameters, the returned variable)."""
    tree = ast.parse(stub(part))
    marker = f"part{part}: {exercise}"
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                 and any(isinstance(n, ast.Constant) and n.value == marker for n in ast.walk(node))]
    inner = min(functions, key=lambda node: node.end_lineno - node.lineno)
    names = {n.id for n in ast.walk(inner) if isinstance(n, ast.Name)}
    return names | {a.arg for a in ast.walk(inner) if isinstance(a, ast.arg)} | {"self", "tf", "np"}


class Rename(ast.NodeTransformer):
    def __init__(self, renames):
        self.renames = renames

    def visit_Name(self, node):
        node.id = self.renames.get(node.id, node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.renames.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node):
        node.name = self.renames.get(node.name, node.name)
        self.generic_visit(node)
        return node


def disguised(part, written):
    """What a copier hands in from someone's `written` sections: each local (a name the section
    assigns that the stub's code does not use) renamed, comments dropped, re-formatted."""
    result = {}
    for exercise, code in written.items():
        tree = ast.parse(code)
        assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        assigned |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
        assigned |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        local = sorted(assigned - protected_names(part, exercise) - set(dir(builtins)))
        free = [name for name in NEW_NAMES if name not in assigned and name not in code]
        result[exercise] = ast.unparse(Rename(dict(zip(local, free))).visit(tree)) + "\n"
    return result
