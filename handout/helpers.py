"""The helper modules that travel with the course: the grader (autograder/) and coursekit/.

Learners' copies (an nbgrader release, the student repository) never hold the code of a hidden
check: every function registered with `@check(..., hidden=True)` is cut out of its
`autograder/checks/partN.py`. So a hidden check keeps what it needs (expected values, helpers)
inside its own body; anything it uses from the rest of the module ships with the release.

Two ways to copy (`hidden=`):
    "strip"   learners' copies (nbgrader releases, the student repository): hidden checks removed
    "keep"    the grader's own copy (Gradescope): everything
nbgrader's autograde never uses the copies beside the notebooks: it grades with the repository's
own grader (handout/pregrade.py).
"""

import ast
import fnmatch
import pathlib
import shutil

PACKAGES = ("autograder", "coursekit")
SKIPPED = ("__pycache__", "*.pyc", "*.bak-*", ".pytest_cache")


class HiddenCheckError(ValueError):
    """A hidden check that cannot be cut out cleanly; the message says where and why."""


def is_hidden_check(node, filename):
    """Is this top-level function decorated with `@check(..., hidden=True)`?"""
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        name = decorator.func.attr if isinstance(decorator.func, ast.Attribute) else getattr(decorator.func, "id", None)
        if name != "check":
            continue
        for keyword in decorator.keywords:
            if keyword.arg == "hidden":
                if not isinstance(keyword.value, ast.Constant):
                    raise HiddenCheckError(f"{filename}:{decorator.lineno}: write hidden=True or "
                                           "hidden=False literally, so releases can leave the "
                                           "check out")
                return bool(keyword.value.value)
    return False


def strip_hidden_checks(text, filename):
    """(text without the hidden checks, [their function names])."""
    tree = ast.parse(text, filename)
    lines = text.splitlines(keepends=True)
    cuts, names = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_hidden_check(node, filename):
            start = min(d.lineno for d in node.decorator_list) - 1
            end = node.end_lineno
            while end < len(lines) and not lines[end].strip():
                end += 1  # the blank lines after it, so the gap stays two lines
            cuts.append((start, end))
            names.append(node.name)
    for start, end in reversed(cuts):
        del lines[start:end]
    stripped = "".join(lines)
    leftover = [name for name in names if name in stripped]
    if leftover:
        raise HiddenCheckError(f"{filename}: the hidden check {leftover[0]} is used elsewhere in "
                               "the module; nothing else may refer to a hidden check")
    compile(stripped, filename, "exec")
    return stripped, names


def skipped(name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in SKIPPED)


def copy_helpers(root, dest, hidden):
    """Copy autograder/ and coursekit/ from `root` into `dest` (replacing what is there)."""
    if hidden not in ("strip", "keep"):
        raise ValueError(f"hidden={hidden!r}: strip or keep")
    root, dest = pathlib.Path(root), pathlib.Path(dest)
    for package in PACKAGES:
        target = dest / package
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(root / package, target, ignore=lambda folder, names: [n for n in names if skipped(n)])
    if hidden == "keep":
        return
    checks = dest / "autograder" / "checks"
    for module in sorted(checks.glob("part[0-9].py")):
        stripped, _ = strip_hidden_checks(module.read_text(), str(module.relative_to(dest)))
        module.write_text(stripped)


def hidden_check_names(root):
    """{part module file name: [hidden check function names]} in the repository at `root`."""
    found = {}
    for module in sorted((pathlib.Path(root) / "autograder" / "checks").glob("part[0-9].py")):
        _, names = strip_hidden_checks(module.read_text(), module.name)
        if names:
            found[module.name] = names
    return found
