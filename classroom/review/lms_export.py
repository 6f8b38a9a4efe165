"""`make export-lms LMS=canvas|moodle`: the class's grades as the CSV a learning management
system imports, one column per part, from grade-batch's results or nbgrader's gradebook.

    python -m classroom.review.lms_export --lms canvas|moodle [--from batch|nbgrader] [--results DIR]
                                   [--course course] [--out reports/lms/<lms>.csv] [--zero-missing]

A part a learner handed nothing in for is an empty cell, which both systems import as "no grade"
(not a zero that would count against them); --zero-missing writes 0 instead. A part the grader
could not grade (a grading failure) is always empty: there is no score to give, and the command
names each such learner. Learners are identified by their folder name (grade-batch) or nbgrader
id: make these the LMS's login, or map the column when importing.

Instructor-side; run by the Makefile. Reads class_results' model, writes one CSV.
"""

import argparse
import csv
import pathlib
import sys

from autograder.checkkit.registry import PARTS
from classroom.review import class_results, sources

# Canvas, "How do I import grades in the Gradebook?" (Instructure's Canvas Instructor Guide): the
# gradebook export's first five columns identify the learner; a column per assignment follows,
# named as the assignment; a second row "Points Possible" gives each column's maximum.
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"
# Moodle, Grades > Import > CSV file (docs.moodle.org/en/Grade_import): a header row, a column
# mapped to the user (here "ID number", or "Email address"), a column per grade item; its own
# export's user columns (grade/import/csv/tests: "First name", "Last name", "ID number", ...).
MOODLE_COLUMNS = ["First name", "Last name", "ID number", "Email address"]


def part_column(part):
    """A part's column title, 'Part 1: tf2 basics'."""
    return f"Part {part}: " + PARTS[part].split("_", 1)[1].replace("_", " ")


def not_graded(learner):
    """Did the grader fail this learner for good (no score to give, whatever they handed in)?"""
    return not learner.graded and any(p.startswith(("grading failure", "grader error", "not graded"))
                                      for p in learner.problems)


def cell(learner, part, zero_missing):
    """The part's points; '' when not handed in (0 with zero_missing) or when the grader failed."""
    if learner.graded and part in learner.submitted:
        return f"{learner.points(part):g}"
    return "0" if zero_missing and not not_graded(learner) else ""


def canvas_rows(graded, zero_missing):
    rows = [CANVAS_COLUMNS + [part_column(p) for p in graded.parts],
            [CANVAS_POINTS_ROW, "", "", "", ""] + [f"{graded.max_points(p):g}" for p in graded.parts]]
    for learner in sorted(graded.learners, key=lambda learner: learner.name):
        rows.append([learner.full_name or learner.name, "", "", learner.name, ""]
                    + [cell(learner, p, zero_missing) for p in graded.parts])
    return rows


def moodle_rows(graded, zero_missing):
    rows = [MOODLE_COLUMNS + [part_column(p) for p in graded.parts]]
    for learner in sorted(graded.learners, key=lambda learner: learner.name):
        first, _, last = learner.full_name.partition(" ")
        rows.append([first, last, learner.name, learner.email] + [cell(learner, p, zero_missing) for p in graded.parts])
    return rows


FORMATS = {"canvas": canvas_rows, "moodle": moodle_rows}


def export(graded, lms, out, zero_missing=False):
    """Write the CSV; return (cells of parts not handed in, learners the grader failed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(FORMATS[lms](graded, zero_missing))
    failed = sorted(learner.name for learner in graded.learners if not_graded(learner))
    missing = sum(not (learner.graded and part in learner.submitted)
                  for learner in graded.learners if learner.name not in failed for part in graded.parts)
    return missing, failed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom.review.lms_export", description=__doc__.splitlines()[0])
    parser.add_argument("--lms", choices=sorted(FORMATS), required=True)
    parser.add_argument("--from", dest="source", choices=["batch", "nbgrader"],
                        help="which grading to export (default: the one that graded last)")
    parser.add_argument("--results", type=pathlib.Path, default=class_results.BATCH_RESULTS)
    parser.add_argument("--course", type=pathlib.Path, default=pathlib.Path("course"))
    parser.add_argument("--out", type=pathlib.Path, help="the CSV (default: reports/lms/<lms>.csv)")
    parser.add_argument("--zero-missing", action="store_true",
                        help="0 for a part a learner handed nothing in for (default: an empty cell)")
    args = parser.parse_args(argv)
    try:
        graded = sources.load(args.source, args.results, args.course)
    except FileNotFoundError as error:
        print(f"export-lms: {error}", file=sys.stderr)
        return 2
    out = args.out or pathlib.Path("reports/lms") / f"{args.lms}.csv"
    missing, failed = export(graded, args.lms, out, args.zero_missing)
    print(f"{args.lms.capitalize()} grades: {out} ({len(graded.learners)} learners; a column per part: "
          f"{', '.join(part_column(p) for p in graded.parts)}; {missing} parts not handed in: "
          f"{'0' if args.zero_missing else 'empty'})")
    for name in failed:
        print(f"  {name}: not graded (the grader failed): left empty; regrade before importing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
