"""`make hint EX=<exercise> [PART=n]`: the next hint for one exercise, then none.

    python -m autograder.feedback.hint --exercise fit_linear [--part 1] [--reports reports]

A failure's message is hint 1. Each call shows the next level not yet taken since the part was
last graded (hint_levels.py): hint 2, the cause, read from the exercise's latest result in
reports/results.json; hint 3, the approach; then it says there are no more. A new grading of the
part (a "grade" record in the attempt log, or a results.json holding the part written after the
hints) starts the levels again, since its failure may have another cause. Each hint shown is
recorded in reports/attempts.jsonl (attempts.py).

Runs in the learner's repository as a plain command: reads two files, writes one line, never
imports TensorFlow. May import feedback/ and checkkit/.
"""

import argparse
import datetime
import json
import pathlib
import sys
import textwrap

from autograder.checkkit.registry import PARTS
from autograder.feedback import attempts, hint_levels

WIDTH = 100
NAMES = {2: "the cause", 3: "the approach"}


def parts_with(exercise, part=None):
    """The parts (of `part` alone, when given) that have an exercise of that name."""
    return [p for p in sorted(hint_levels.LEVELS) if part in (None, p) and exercise in hint_levels.LEVELS[p]]


def latest_results(reports_dir):
    """(the results of the latest grading: results.json's tests' extra_data, with part, check,
    exercise, status and message; when it was written, a UTC datetime), or ([], None) when there is
    none or it cannot be read."""
    path = pathlib.Path(reports_dir) / "results.json"
    try:
        report = json.loads(path.read_text())
        written = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.timezone.utc)
        return [t["extra_data"] for t in report.get("tests", []) if isinstance(t.get("extra_data"), dict)], written
    except (OSError, ValueError, AttributeError, TypeError):
        return [], None


def recorded_at(record):
    try:
        return datetime.datetime.fromisoformat(str(record.get("time")))
    except ValueError:
        return None


def levels_taken(records, part, exercise, graded_at=None):
    """The hint levels recorded for `exercise` since the part was last graded: after the log's
    latest "grade" record of the part, and after `graded_at` (when results.json, which holds the
    part, was written; to the second, as records are timed)."""
    graded_at = graded_at.replace(microsecond=0) if graded_at is not None else None
    taken = []
    for record in records:
        if record.get("kind") == "grade" and record.get("part") == part:
            taken = []
        elif record.get("kind") == "hint" and (record.get("part"), record.get("exercise")) == (part, exercise):
            when = recorded_at(record)
            if graded_at is None or when is None or when.tzinfo is None or when >= graded_at:
                taken.append(record.get("level"))
    return taken


def paragraph(text):
    return textwrap.fill(text[:1].upper() + text[1:], width=WIDTH, initial_indent="  ",
                         subsequent_indent="  ", break_on_hyphens=False)


def where_the_cause_comes_from(part, results, check):
    """How level 2 was chosen, for its heading."""
    if check:
        return f"from your latest grading (check {check})"
    if not results:
        return (f"its usual causes: no grading of it yet (`make grade PART={part}` shows your "
                "code's own message, hint 1)")
    if all(r.get("status") == "not attempted" for r in results):
        return "its usual causes: it is not written yet"
    return "its usual causes"


def next_hint(part, exercise, reports_dir):
    """(the lines to print, the level shown or None)."""
    head = f"part {part}, {exercise}"
    everything, written = latest_results(reports_dir)
    results = hint_levels.exercise_results(everything, part, exercise)
    if results and all(r.get("status") == "passed" for r in results):
        return [f"{head}: every check passed in your latest grading (reports/results.json); no hint "
                "needed."], None
    graded_at = written if any(r.get("part") == part for r in everything) else None
    level = 2 + len(levels_taken(attempts.read(reports_dir), part, exercise, graded_at))
    if level > hint_levels.LAST:
        return [textwrap.fill(
            f"{head}: no more hints: you have seen hints 2 and {hint_levels.LAST} since part {part} "
            f"was last graded. Hint 1 is the message of `make grade PART={part}`; once you have "
            "changed your code and graded it again, `make hint` starts again from hint 2.",
            width=WIDTH, subsequent_indent="  ")], None
    if level == 2:
        text, check = hint_levels.cause(part, exercise, results)
        source = where_the_cause_comes_from(part, results, check)
    else:
        text, source = hint_levels.approach(part, exercise), "in words, no code"
    lines = [f"{head}: hint {level} of {hint_levels.LAST}, {NAMES[level]}, {source}:", paragraph(text)]
    if level < hint_levels.LAST:
        lines.append(f"  Next: `make hint EX={exercise}` gives hint {level + 1}, {NAMES[level + 1]}.")
    return lines, level


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make hint", description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", default="", help="the exercise, e.g. fit_linear")
    parser.add_argument("--part", type=int, action="append", help="its part, when the name is not enough")
    parser.add_argument("--reports", default="reports", help="the folder of results.json and attempts.jsonl")
    args = parser.parse_args(argv)
    exercise = args.exercise.strip()
    if not exercise:
        print("hint: which exercise? e.g. `make hint EX=fit_linear` (its name as in your file)",
              file=sys.stderr)
        return 2
    if args.part and len(args.part) > 1:
        print("hint: one exercise is in one part: give one PART", file=sys.stderr)
        return 2
    part = args.part[0] if args.part else None
    if part is not None and part not in PARTS:
        print(f"hint: no part {part}; the course has parts {sorted(PARTS)}", file=sys.stderr)
        return 2
    found = parts_with(exercise, part)
    if not found:
        where = [part] if part is not None else sorted(hint_levels.LEVELS)
        names = "; ".join(f"part {p}: {', '.join(hint_levels.LEVELS[p])}" for p in where)
        print(f"hint: no exercise {exercise!r} in {'part ' + str(part) if part else 'the course'} "
              f"(exercises of {names})", file=sys.stderr)
        return 2
    lines, level = next_hint(found[0], exercise, args.reports)
    print("\n".join(lines))
    if level is not None:
        attempts.append(args.reports, {"kind": "hint", "part": found[0], "exercise": exercise,
                                       "level": level})
    return 0


if __name__ == "__main__":
    sys.exit(main())
