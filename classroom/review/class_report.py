"""`make class-report`: what the class got right and wrong, as a page and a few terminal lines.

    python -m classroom.review.class_report [--from batch|nbgrader] [--results reports/batch]
                                     [--course course] [--submissions DIR] [--out reports/class]

Reads the latest grading (grade-batch's reports/batch/, or nbgrader's course/gradebook.db when
that is newer; --from picks one), never a learner's code, and writes --out/index.html with its
pictures (plots.py) and --out/class.json (the same numbers for scripts): per check, how many
passed, mean points, discrimination, the most common failure messages, time; per part, time and
memory; per learner, points and problems; what the checks measured. With --submissions (or, for
nbgrader, its submitted notebooks) it adds the pairs of similar submissions (similarity.py).

Instructor-side: run by the Makefile; imports classroom/ and, through it, the grader's registry.
"""

import argparse
import dataclasses
import json
import pathlib
import statistics
import sys
import time

from classroom.review import class_results, class_statistics, plots, sources
from classroom.review.pages import environment

OUT = pathlib.Path("reports/class")


def measured_rows(series):
    rows = []
    for one in series:
        values = [value for _, value in one.values]
        missing = sum((v > one.threshold) if one.at_most else (v < one.threshold) for v in values)
        rows.append(dict(part=one.part, check=one.check, label=one.label, count=len(values),
                         median=statistics.median(values), lowest=min(values), highest=max(values),
                         threshold=one.threshold, at_most=one.at_most, missing=missing))
    return rows


def part_rows(graded, resources):
    rows = []
    for part in graded.parts:
        scores = [learner.points(part) for learner in graded.learners if part in learner.submitted]
        rows.append(dict(part=part, learners=len(scores), mean=statistics.fmean(scores) if scores else None,
                         possible=graded.max_points(part), resources=resources[part]))
    return rows


def build(graded, out, similarity=None):
    """Write out/index.html, its pictures and out/class.json; return the terminal's lines."""
    out.mkdir(parents=True, exist_ok=True)
    checks = class_statistics.check_statistics(graded)
    rows = class_statistics.learner_rows(graded)
    series = class_statistics.measured_series(graded)
    resources = class_statistics.part_resources(graded)
    summary = class_statistics.summary_lines(graded, checks, rows)
    totals = [row.total for row in rows if row.total is not None]
    pictures = {"totals": plots.totals_histogram(totals, graded.max_points(), out / "totals.png"),
                "pass_rate": plots.pass_rates(checks, out / "pass_rate.png"),
                "measured": plots.measured_distributions(series, out / "measured.png")}
    if pictures["measured"] is None:
        (out / "measured.png").unlink(missing_ok=True)  # an earlier class's picture must not stay
    page = environment().get_template("class_report.html").render(
        learner_count=len(rows), source=graded.source, summary=summary, notes=graded.notes,
        pictures=pictures, checks=checks, parts=part_rows(graded, resources), measured=measured_rows(series),
        similarity=similarity, learners=rows, part_numbers=graded.parts)
    (out / "index.html").write_text(page)
    numbers = {"source": graded.source, "notes": graded.notes, "summary": summary,
               "checks": [dataclasses.asdict(c) for c in checks], "learners": [dataclasses.asdict(r) for r in rows],
               "parts": {str(p): r for p, r in resources.items()},
               "measured": [dataclasses.asdict(s) for s in series],
               "similar_pairs": None if similarity is None else [p.summary() for p in similarity.pairs]}
    (out / "class.json").write_text(json.dumps(numbers, indent=1) + "\n")
    return summary


def similar_submissions(args, graded_from):
    """similarity's ClassSimilarity for --submissions (or an nbgrader course's submitted/), or None."""
    folder = args.submissions
    if folder is None and graded_from == "nbgrader" and (args.course / "submitted").is_dir():
        folder = args.course / "submitted"
    if folder is None:
        return None
    from classroom.review import similarity

    return similarity.compare_class(folder, course=args.course)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom.review.class_report", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", choices=["batch", "nbgrader"],
                        help="which grading to report (default: the one that graded last)")
    parser.add_argument("--results", type=pathlib.Path, default=class_results.BATCH_RESULTS,
                        help="grade-batch's results folder (default: reports/batch)")
    parser.add_argument("--course", type=pathlib.Path, default=pathlib.Path("course"), help="the nbgrader course")
    parser.add_argument("--submissions", type=pathlib.Path,
                        help="the learners' files (one folder per learner): adds similar submissions")
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    begin = time.monotonic()
    source = args.source or sources.latest_source(args.results, args.course)
    try:
        graded = sources.load(source, args.results, args.course)
    except FileNotFoundError as error:
        print(f"class-report: {error}", file=sys.stderr)
        return 2
    if args.submissions is not None and not args.submissions.is_dir():
        print(f"class-report: no such folder: {args.submissions}", file=sys.stderr)
        return 2
    try:
        similarity = similar_submissions(args, source)
    except FileNotFoundError as error:
        print(f"class-report: {error}", file=sys.stderr)
        return 2
    for line in build(graded, args.out, similarity):
        print(line)
    if similarity is not None:
        print(similarity.headline())
    print(f"Report: {args.out / 'index.html'} ({time.monotonic() - begin:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
