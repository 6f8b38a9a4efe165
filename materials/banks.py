"""The banks of answers the grader is tested against: realistic mistakes and correct variants.

    tests/wrong_answers/partN/*.py     each names the checks it must lose (`loses: ...`), and any
                                       it may lose too on some machines (`may also lose: ...`)
    tests/correct_variants/partN/*.py  each must get full marks: written differently from the
                                       reference, as a learner might

A bank file holds only the definitions it changes; the learner's file it stands for is the
reference with those definitions pasted after it (`compose`). The tests grade every file, and
scripts/measure_part*.py train the variants over seeds to set the thresholds.
"""

import ast
import pathlib
import re

from autograder.checkkit.registry import PARTS

ROOT = pathlib.Path(__file__).resolve().parent.parent
WRONG_ANSWERS = ROOT / "tests" / "wrong_answers"
CORRECT_VARIANTS = ROOT / "tests" / "correct_variants"


def reference_file(part):
    return ROOT / "solutions" / f"{PARTS[part]}.py"


def bank(folder, part):
    """The bank's files for one part, sorted by name."""
    return sorted((folder / f"part{part}").glob("*.py"))


def compose(part, answer, folder):
    """A learner's file in `folder`: the reference with the definitions of `answer` pasted over it."""
    path = pathlib.Path(folder) / f"{PARTS[part]}.py"
    path.write_text(reference_file(part).read_text()
                    + "\n\n# ---- the learner's version of what follows ----\n"
                    + pathlib.Path(answer).read_text())
    return path


def declared_losses(answer):
    """The check names after 'loses:' in a wrong answer's docstring."""
    match = re.search(r"^loses: (.+)$", pathlib.Path(answer).read_text(), re.MULTILINE)
    if not match:
        raise ValueError(f"{pathlib.Path(answer).name} has no 'loses:' line")
    return set(match.group(1).split())


def possible_losses(answer):
    """The check names after 'may also lose:' in a wrong answer's docstring: checks whose outcome
    on this answer depends on the machine (an accuracy that is chaotic across CPUs), none if absent."""
    match = re.search(r"^may also lose: (.+)$", pathlib.Path(answer).read_text(), re.MULTILINE)
    return set(match.group(1).split()) if match else set()


def defined_names(answer):
    """The top-level functions and classes an answer file defines."""
    tree = ast.parse(pathlib.Path(answer).read_text())
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def uses(source):
    """{top-level name: the top-level names its body refers to, directly or through others}."""
    tree = ast.parse(source)
    defined = {node.name: node for node in tree.body
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    direct = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & set(defined)
              for name, node in defined.items()}
    closure = {}
    for name in defined:
        seen, todo = set(), [name]
        while todo:
            for used in direct[todo.pop()] - seen:
                seen.add(used)
                todo.append(used)
        closure[name] = seen | {name}
    return closure


def affected_checks(checks, source, changed):
    """The checks whose objects use any of the `changed` names in the learner's `source`."""
    closure = uses(source)
    return [c for c in checks
            if any(closure.get(wanted, {wanted}) & set(changed) for wanted in c.wants)]


def exercises(part):
    """The reference's top-level functions and classes that hold a solution region, in order."""
    from generate.regions import find_regions

    path = reference_file(part)
    names = [region.exercise.split(".")[0] for region in find_regions(path.read_text(), path.name)]
    return list(dict.fromkeys(names))
