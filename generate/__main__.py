"""`make exercises`: regenerate the learner's stubs from the solutions.

    python -m generate            write exercises/ (refuses to overwrite a learner's edits)
    python -m generate --force    overwrite anyway, keeping a .bak copy of each edited file
    python -m generate --check    exit 1 if a committed stub differs from what generation gives
"""

import argparse
import pathlib
import sys

from generate.regions import MarkerError
from generate.stubs import make_stub
from generate.write import WouldOverwrite, digest, load_manifest, save_manifest, write_generated

ROOT = pathlib.Path(__file__).resolve().parent.parent


def solution_files(root):
    return sorted((root / "solutions").glob("part[0-9]_*.py"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m generate", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help="overwrite edited stubs (with a backup)")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)

    exercises = args.root / "exercises"
    manifest = load_manifest(exercises)
    stale, refused = [], []
    try:
        stubs = {path.name: make_stub(path.read_text(), path.name) for path in solution_files(args.root)}
    except MarkerError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    if args.check:
        for name, text in stubs.items():
            path = exercises / name
            if not path.exists() or path.read_text() != text or manifest.get(name) != digest(text):
                stale.append(str(path.relative_to(args.root)))
        if stale:
            print("generate: out of date (run `make exercises`): " + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"generate: {len(stubs)} stub(s) up to date")
        return 0
    exercises.mkdir(exist_ok=True)
    for name, text in stubs.items():
        try:
            outcome = write_generated(exercises / name, text, manifest, force=args.force)
        except WouldOverwrite as error:
            refused.append(str(error))
            continue
        if outcome not in ("unchanged", "written"):
            print(f"generate: kept your edited copy as {outcome}")
        print(f"generate: exercises/{name} {'up to date' if outcome == 'unchanged' else 'written'}")
    save_manifest(exercises, manifest)
    if refused:
        print("\n".join(f"generate: {message}" for message in refused), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
