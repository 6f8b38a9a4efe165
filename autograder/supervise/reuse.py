"""Which of a part's checks must be graded, and which kept outcomes stand for the others.

Runs in the parent (cli.py, watch.py), before and after a part is graded; never imports
TensorFlow nor the learner's code, which it reads with `ast` only (intake/dependencies.py).

A check's key is a digest of: the grader's fingerprint (store.py), the part, the check's name, the
learner file's path, and what the file gives the check (its skeleton, and the closure of the
names the check takes). The names a check takes are its parameters, read from its
`autograder/checks/partN.py` by `ast`; its points, budget and summary come from the grading
process's own list of checks ("collected"), which the store keeps from the last grading.

Before grading: each check whose key has a kept outcome that can be restored is reused, unless
another check of its group (dependencies.py: checks sharing a learner object that holds state)
must be graded, in which case the whole group is graded again. After grading: each outcome that
is a verdict on the learner's code alone (store.keepable) is kept under its key, unless the file
changed while it was graded.
"""

import ast
import dataclasses
import hashlib
import pathlib

from autograder.checkkit.environment import ROOT
from autograder.feedback import report
from autograder.intake import dependencies
from autograder.supervise import store as stores


@dataclasses.dataclass
class Plan:
    """One part's reuse: `kept` {check: restored result}, `checks` the collected records when
    anything is reused (else None: the grading process lists them)."""

    part: int
    path: pathlib.Path
    digest: str | None = None  # of the file's bytes, as analysed
    keys: dict = dataclasses.field(default_factory=dict)  # check -> key (empty: nothing to keep)
    layouts: dict = dataclasses.field(default_factory=dict)
    kept: dict = dataclasses.field(default_factory=dict)
    checks: list | None = None
    unsure: str | None = None  # why every check's key covers the whole file


def check_parameters(part, root=ROOT):
    """{check name: the learner's names it takes}, read from the checks module by `ast`."""
    tree = ast.parse((root / "autograder" / "checks" / f"part{part}.py").read_text())
    return {node.name.removeprefix("check_"): [a.arg for a in node.args.posonlyargs + node.args.args
                                               + node.args.kwonlyargs]
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("check_")}


def first_party(root=ROOT):
    """The course's own top-level folders and modules, whose import a learner's file cannot
    make a key of: all but the grader's (which the fingerprint covers)."""
    return {p.stem for p in root.iterdir() if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".py")
            } - {"autograder", "coursekit"}


def groups(analysis, wants):
    """The checks (`wants`: {name: names taken}) that share a learner object holding state,
    as sets of names; every check in one set when the analysis is unsure."""
    if analysis.unsure:
        return [set(wants)]
    parent = {name: name for name in wants}

    def root(name):
        while parent[name] != name:
            name = parent[name]
        return name

    owner = {}
    for name, taken in wants.items():
        for state in analysis.stateful(taken):
            owner.setdefault(state, name)
            parent[root(name)] = root(owner[state])
    found = {}
    for name in wants:
        found.setdefault(root(name), set()).add(name)
    return list(found.values())


def plan(store, part, path, reports_dir, fresh=False):
    """What can be reused of `part` for the learner's file at `path` (a Plan; an empty one when
    the file cannot be read as Python: it is graded whole, and nothing of it is kept)."""
    path = pathlib.Path(path)
    made = Plan(part, path)
    wants = check_parameters(part)
    try:
        data = path.read_bytes()
        analysis = dependencies.analyse(data.decode("utf-8"), str(path), first_party(), wants.values())
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return made
    made.digest, made.unsure = hashlib.sha256(data).hexdigest(), analysis.unsure
    for name, taken in wants.items():
        made.keys[name] = dependencies.sha256(store.fingerprint, str(part), name, str(path),
                                              analysis.digest(taken))
        made.layouts[name] = analysis.layout(taken)
    kept = store.load(part)
    if fresh or kept["checks"] is None:
        return made
    for check in kept["checks"]:
        name = check["name"]
        entry = next((e for e in kept["outcomes"].get(name, []) if e["key"] == made.keys.get(name)), None)
        restored = entry and stores.restore(entry, made.layouts[name], store.files(part), reports_dir)
        if restored:
            made.kept[name] = restored
    listed = {c["name"]: wants.get(c["name"], [c["name"]]) for c in kept["checks"]}
    for group in groups(analysis, listed):
        if not group <= set(made.kept):
            for name in group:
                made.kept.pop(name, None)
    made.checks = kept["checks"] if made.kept else None
    return made


IMPORT_FAILED = ("your file has a syntax error", "no file for part", "importing your file timed out",
                 "your file could not be imported", "your file replaced")  # feedback/problems.py's words


def import_failed(results):
    """Did importing the learner's file fail in a grading process (a syntax error, an exception,
    a hang or tampering at import)? Then every check fails with it, kept ones included."""
    for result in results:
        body = report.message_body(result) if result.get("message") else ""
        if not result.get("cached") and (body.startswith(IMPORT_FAILED) or "while importing your file" in body):
            return True
    return False


def record(store, made, collected, results):
    """Keep the part's outcomes under their keys (unless the file changed meanwhile), newest
    first, and the grading process's list of checks for the next plan."""
    if collected is None:
        return
    kept = store.load(made.part)
    outcomes = kept["outcomes"]
    unchanged = made.digest is not None and file_digest(made.path) == made.digest
    for result in results:
        name, key = result["name"], made.keys.get(result["name"])
        if not unchanged or key is None:
            continue
        entries = outcomes.get(name, [])
        same = next((e for e in entries if e["key"] == key), None)
        if result.get("cached") and same is not None:
            outcomes[name] = [same] + [e for e in entries if e is not same]  # the newest first
        elif not result.get("cached") and stores.keepable(result):
            fresh = store.entry(made.part, key, result, made.layouts[name])
            outcomes[name] = [fresh] + [e for e in entries if e is not same]
        # anything else (a timeout, a crash, a failed import) keeps no outcome and drops none
    store.save(made.part, collected, outcomes)


def file_digest(path):
    try:
        return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
