"""`make exercises`: regenerate the learner's stubs and the nbgrader notebooks from the solutions.

    python -m generate            write exercises/ and course/source/ (never overwrites edits)
    python -m generate --force    overwrite anyway, keeping each edited file as <file>.bak-<time>
    python -m generate --check    exit 1 if a committed file differs from what generation gives

A part gets its notebook once its checks exist (autograder/checks/partN.py): the notebook's test
cells come from the registered checks.
"""

import argparse
import importlib.util
import pathlib
import sys

from generate.regions import MarkerError
from generate.stubs import make_stub, part_of
from generate.write import WouldOverwrite, digest, load_manifest, save_manifest, write_generated

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = pathlib.Path("course") / "source"


def solution_files(root):
    return sorted((root / "solutions").glob("part[0-9]_*.py"))


def registered_checks(part):
    """The part's checks, or None when it has no checks module yet (imports TensorFlow quietly)."""
    if importlib.util.find_spec(f"autograder.checks.part{part}") is None:
        return None
    from autograder.checkkit import environment
    from autograder.checks import checks_for

    environment.quiet_tensorflow()
    return checks_for(part)


def generated_files(root):
    """{folder: {file name: text}} of everything generation writes, in order."""
    from generate.notebooks import make_notebook

    stubs, notebooks = {}, {}
    for path in solution_files(root):
        text = path.read_text()
        stubs[path.name] = make_stub(text, path.name)
        part = part_of(path.name)
        checks = registered_checks(part)
        if checks is None:
            print(f"generate: {path.name}: no checks yet, so no notebook", file=sys.stderr)
            continue
        # One nbgrader assignment per part, named partN: what learners type to fetch it.
        notebooks[f"part{part}/{path.stem}.ipynb"] = make_notebook(text, path.name, checks)
    return {root / "exercises": stubs, root / NOTEBOOKS: notebooks}


def check(root, files):
    stale = []
    for folder, texts in files.items():
        manifest = load_manifest(folder)
        for name, text in texts.items():
            path = folder / name
            if not path.exists() or path.read_text() != text or manifest.get(name) != digest(text):
                stale.append(str(path.relative_to(root)))
    if stale:
        print("generate: out of date (run `make exercises`): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(f"generate: {sum(len(t) for t in files.values())} file(s) up to date")
    return 0


def write(root, files, force):
    refused = []
    for folder, texts in files.items():
        manifest = load_manifest(folder)
        for name, text in texts.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                outcome = write_generated(path, text, manifest, force=force, key=name)
            except WouldOverwrite as error:
                refused.append(str(error))
                continue
            if outcome not in ("unchanged", "written"):
                print(f"generate: kept your edited copy as {outcome}")
            print(f"generate: {path.relative_to(root)} "
                  f"{'up to date' if outcome == 'unchanged' else 'written'}")
        if texts:
            save_manifest(folder, manifest)
    if refused:
        print("\n".join(f"generate: {message}" for message in refused), file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m generate", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help="overwrite edited files (with a backup)")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    try:
        files = generated_files(args.root)
    except MarkerError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    return check(args.root, files) if args.check else write(args.root, files, args.force)


if __name__ == "__main__":
    sys.exit(main())
