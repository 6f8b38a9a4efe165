"""The mutation pass (issue 13): which one-line slips in a solution region do the checks miss?

    PYTHONPATH=. .venv/bin/python scripts/mutate.py [--part N ...] [--only exercise,...] [--list]

Every statement inside a `### BEGIN SOLUTION` region is mutated one way at a time: a statement
deleted, a keyword argument dropped, the last positional argument dropped, the first two swapped,
a constant changed (True/False flipped, a number +1, x10 or 0), an operator flipped (+ -, * /,
// /, < <=, == !=), a decorator removed. Each mutant is the reference with that one definition
changed; it is graded on the checks that use it, in a process of its own forked from this one
(TensorFlow imported once, no op run before the fork), which is killed after --timeout seconds
(a mutated loop inside a graph cannot be interrupted from Python).

A mutant that passes every check it touches "survived": either it breaks the docstring's
contract (then the checks miss a slip: add it to tests/wrong_answers/ and make a check catch it)
or it is equivalent (the same computation, or outside the contract); the survivors are printed
for that judgement, and scripts/mutants_left_alone.md lists the equivalent ones and why.
"""

import argparse
import ast
import copy
import multiprocessing
import pathlib
import sys
import tempfile
import time

from autograder.checkkit import environment
from autograder.checks import checks_for

environment.quiet_tensorflow()

from autograder.checkkit import registry  # noqa: E402
from autograder.execute import check_runner, learner_module  # noqa: E402
from generate.regions import find_regions  # noqa: E402
from materials import banks  # noqa: E402

FLIPPED_OPERATORS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                     ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
                     ast.MatMult: ast.Mult, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE,
                     ast.LtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot,
                     ast.IsNot: ast.Is}


def changed_numbers(value):
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1] + ([0] if value else [])
    if isinstance(value, float):
        return [value * 10] + ([0.0] if value else [1.0])
    return []


def mutations(node):
    """(description, function that changes `node` in place) for each way to mutate it."""
    found = []
    if isinstance(node, ast.Call):
        for index, keyword in enumerate(node.keywords):
            found.append((f"drop {keyword.arg}=", lambda n, i=index: n.keywords.pop(i)))
        if node.args:
            found.append(("drop the last positional argument", lambda n: n.args.pop()))
        if len(node.args) >= 2:
            found.append(("swap the first two arguments",
                          lambda n: n.args.__setitem__(slice(0, 2), n.args[1::-1])))
    elif isinstance(node, ast.Constant):
        for value in changed_numbers(node.value):
            found.append((f"{node.value!r} -> {value!r}", lambda n, v=value: setattr(n, "value", v)))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in FLIPPED_OPERATORS:
        flipped = FLIPPED_OPERATORS[type(node.op)]
        found.append((f"{type(node.op).__name__} -> {flipped.__name__}",
                      lambda n, f=flipped: setattr(n, "op", f())))
    elif isinstance(node, ast.Compare) and type(node.ops[0]) in FLIPPED_OPERATORS:
        flipped = FLIPPED_OPERATORS[type(node.ops[0])]
        found.append((f"{type(node.ops[0]).__name__} -> {flipped.__name__}",
                      lambda n, f=flipped: n.ops.__setitem__(0, f())))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        found.append(("drop the unary operator", None))  # replaced by its operand, below
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
        found.append(("drop the decorator", lambda n: n.decorator_list.clear()))
    return found


class Mutant:
    def __init__(self, part, exercise, line, description, source):
        self.part, self.exercise, self.line = part, exercise, line
        self.description, self.source = description, source

    def __str__(self):
        return f"part {self.part} {self.exercise}, line {self.line}: {self.description}"


def mutants_of(part):
    """Every mutant of the part's solution regions, each as the text of its changed definition."""
    path = banks.reference_file(part)
    text = path.read_text()
    inside = set()
    for region in find_regions(text, path.name):
        inside.update(range(region.begin + 2, region.end + 1))  # 1-based lines strictly inside
    tree = ast.parse(text)
    seen = {ast.unparse(top) for top in tree.body}  # a "mutation" that changes nothing
    for top in tree.body:
        if not isinstance(top, (ast.FunctionDef, ast.ClassDef)):
            continue
        nodes = list(ast.walk(top))
        for index, node in enumerate(nodes):
            if getattr(node, "lineno", None) not in inside:
                continue
            changes = mutations(node)
            for body_name in ("body", "orelse"):
                for position, statement in enumerate(getattr(node, body_name, []) or []):
                    if isinstance(statement, ast.stmt) and statement.lineno in inside:
                        changes.append((f"delete line {statement.lineno}",
                                        ("delete", body_name, position)))
            for description, change in changes:
                mutated = copy.deepcopy(top)
                target = list(ast.walk(mutated))[index]
                if isinstance(change, tuple):
                    getattr(target, change[1])[change[2]] = ast.Pass()
                elif change is None:  # a unary operator: replace it by its operand
                    for parent in ast.walk(mutated):
                        for field, value in ast.iter_fields(parent):
                            if value is target:
                                setattr(parent, field, target.operand)
                            elif isinstance(value, list) and any(v is target for v in value):
                                value[[id(v) for v in value].index(id(target))] = target.operand
                else:
                    change(target)
                try:
                    source = ast.unparse(ast.fix_missing_locations(mutated))
                    compile(source, "mutant", "exec")
                except (SyntaxError, ValueError):
                    continue
                if source in seen:
                    continue
                seen.add(source)
                yield Mutant(part, top.name, node.lineno, description, source)


def grade(mutant, folder, pipe):
    """In the forked process: grade the mutant on the checks that use it; send the failures."""
    answer = pathlib.Path(folder) / "mutant.py"
    answer.write_text(mutant.source + "\n")
    path = banks.compose(mutant.part, answer, folder)
    checks = banks.affected_checks(checks_for(mutant.part), path.read_text(), [mutant.exercise])
    try:
        module = learner_module.import_part(path, mutant.part)
        lost = {}
        for graded in checks:
            status, message = check_runner.run_check(graded, module)
            if status != "passed":
                lost[graded.name] = message
    except Exception as error:  # an import failure kills the mutant
        lost = {"import": str(error)}
    pipe.send(lost)


def run(mutant, timeout):
    """{lost check: message}, or {"timeout": ...} when the mutant's process had to be killed."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with tempfile.TemporaryDirectory() as folder:
        process = context.Process(target=grade, args=(mutant, folder, sender))
        process.start()
        sender.close()
        if receiver.poll(timeout):
            try:
                lost = receiver.recv()
            except EOFError:
                lost = {"crash": f"exit status {process.exitcode}"}
        else:
            lost = {"timeout": f"killed after {timeout} s"}
        process.kill()
        process.join()
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", type=int, action="append", default=[])
    parser.add_argument("--only", default="", help="exercise names, comma-separated")
    parser.add_argument("--list", action="store_true", help="list the mutants, grade nothing")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    for part in args.part or list(registry.PARTS):
        mutants = [m for m in mutants_of(part) if not only or m.exercise in only]
        survivors, start = [], time.perf_counter()
        print(f"part {part}: {len(mutants)} mutants", flush=True)
        for mutant in mutants:
            if args.list:
                print(f"  {mutant}")
                continue
            lost = run(mutant, args.timeout)
            print(f"  {'SURVIVED' if not lost else 'killed  '} {mutant}"
                  + (f"  [{', '.join(sorted(lost))}]" if lost else ""), flush=True)
            if not lost:
                survivors.append(mutant)
        if not args.list:
            print(f"part {part}: {len(survivors)} of {len(mutants)} survived "
                  f"({time.perf_counter() - start:.0f} s)")
            for mutant in survivors:
                print(f"--- {mutant}\n{mutant.source}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
