"""`make try PART=n`: run a part's "Try it" section, the `if __name__ == "__main__":` block.

    python -m coursekit.tryit --part 2                        # exercises/part2_*.py
    python -m coursekit.tryit --part 2 --submission my_folder  # or a single .py file

The file runs as `python <file>` would run it, with two differences that a learner's copy needs:
the course's folder is on the import path (so `from coursekit ...` works from exercises/), and
TensorFlow is imported first, quietly (some CPUs print start-up lines whatever the log level).
An exercise that is not written yet stops the run with one line naming it, not a traceback.
"""

import argparse
import os
import pathlib
import re
import runpy
import sys
import traceback

from coursekit.quiet import import_quietly

STUB = re.compile(r"part(?P<part>\d): (?P<exercise>[\w.]+)")  # what an untouched stub raises


def find_file(submission, part):
    """The file for `part` in `submission` (a folder or a .py file), or a sentence saying why not."""
    path = pathlib.Path(submission)
    if path.is_file():
        return path
    if not path.is_dir():
        return f"no such file or folder: {submission}"
    found = sorted(path.glob(f"part{part}_*.py"))
    if found:
        return found[0]
    parts = sorted({match[1] for p in path.glob("part*_*.py") if (match := re.match(r"part(\d+)_", p.name))})
    return f"no file for part {part} in {submission} (parts there: {', '.join(parts) or 'none'})"


def run(path):
    """Run `path` as __main__ and return the exit status: 0, or 1 after printing the traceback
    of an error it raised, from its own frames on (not this runner's)."""
    path = path.resolve()
    sys.argv = [str(path)]
    sys.path.insert(0, str(path.parent))  # as `python <file>` does
    try:
        runpy.run_path(str(path), run_name="__main__")
    except NotImplementedError as error:
        stub = STUB.fullmatch(str(error))
        if stub is None:
            return print_error(error, path)
        print(f"Try it stopped at {stub['exercise']}: it is not written yet (its `# YOUR CODE HERE` "
              "block still raises NotImplementedError). Write it and run this again; "
              f"`make grade PART={stub['part']}` shows every exercise's status.")
    except Exception as error:
        return print_error(error, path)
    return 0


def print_error(error, path):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(path):
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb or error.__traceback__)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make try", description=__doc__.splitlines()[0])
    parser.add_argument("--part", required=True, help="the part whose file to run")
    parser.add_argument("--submission", default="exercises", help="folder or .py file (default: exercises)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d+", args.part):
        print("try: which part? e.g. `make try PART=1`" if not args.part.strip() else
              f"try: PART should be one part number, e.g. PART=1; got {args.part!r}", file=sys.stderr)
        return 2
    path = find_file(args.submission, args.part)
    if isinstance(path, str):
        print(f"try: {path}", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import_quietly("tensorflow")
    return run(path)


if __name__ == "__main__":
    sys.exit(main())
