"""`make progress`: the learner's points over their attempts, from reports/attempts.jsonl alone.

    python -m autograder.feedback.progress [--reports reports]

A command of its own on the parent's side: reads the attempt log (attempts.py), never a learner's
file, and imports nothing of TensorFlow. Prints one row per grading (the parts graded together
at one time), with each part's points where it was graded, the total of each part's latest
points and the hints asked since the previous row, then draws the same as
reports/progress.png (matplotlib, Agg):

    attempt  time (UTC)            part 1   part 2   part 3    total  hints
          1  2026-12-07 10:04:05     5/26     0/27     0/19     5/72
          2  2026-12-07 10:09:41    12/26                      12/72      1
"""

import argparse
import pathlib
import sys

from autograder.feedback import attempts
from autograder.feedback.report import format_points

PICTURE = "progress.png"


def rows(records):
    """[{"time", "parts": {part: (score, max)}, "total": (score, max), "hints": n}], one per
    grading, in order: the "grade" records sharing a time are one attempt."""
    found, latest, hints = [], {}, 0
    for record in records:
        if record.get("kind") == "hint":
            hints += 1
            continue
        if record.get("kind") != "grade" or not isinstance(record.get("part"), int):
            continue
        try:
            points = (float(record["score"]), float(record["max_score"]))
        except (KeyError, TypeError, ValueError):
            continue
        if not found or found[-1]["time"] != record.get("time") or record["part"] in found[-1]["parts"]:
            found.append({"time": record.get("time"), "parts": {}, "hints": hints})
            hints = 0
        found[-1]["parts"][record["part"]] = points
        latest[record["part"]] = points
        found[-1]["total"] = (sum(s for s, _ in latest.values()), sum(m for _, m in latest.values()))
    return found


def table(found):
    """The rows as text, one line each under a heading."""
    parts = sorted({part for row in found for part in row["parts"]})
    heading = f"{'attempt':>7}  {'time (UTC)':<20}" + "".join(f"{'part ' + str(p):>9}" for p in parts)
    lines = [heading + f"{'total':>9}  hints"]
    for number, row in enumerate(found, 1):
        when = str(row["time"] or "?").replace("T", " ").rstrip("Z")[:19]
        cells = "".join(f"{fraction(row['parts'][p]) if p in row['parts'] else '':>9}" for p in parts)
        lines.append(f"{number:>7}  {when:<20}{cells}{fraction(row['total']):>9}  {row['hints'] or '':>5}".rstrip())
    return "\n".join(lines)


def fraction(points):
    return f"{format_points(points[0])}/{format_points(points[1])}"


def draw(found, path):
    """Each part's points at the attempts that graded it, and the total, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4), dpi=100)
    numbers = range(1, len(found) + 1)
    for part in sorted({p for row in found for p in row["parts"]}):
        graded = [(n, row["parts"][part][0]) for n, row in zip(numbers, found) if part in row["parts"]]
        axes.plot(*zip(*graded), marker="o", label=f"part {part}")
    axes.plot(numbers, [row["total"][0] for row in found], color="black", linestyle="--", label="total")
    axes.axhline(found[-1]["total"][1], color="grey", linewidth=0.8)
    axes.set_xlabel("attempt")
    axes.set_ylabel("points")
    axes.set_title("Your points over your attempts")
    axes.legend(loc="lower right")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.feedback.progress",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="reports", help="the folder holding attempts.jsonl")
    args = parser.parse_args(argv)
    found = rows(attempts.read(args.reports))
    if not found:
        print(f"No attempts yet in {pathlib.Path(args.reports) / attempts.NAME}: `make grade` "
              "or `make watch` logs each one.")
        return 0
    print(table(found))
    picture = pathlib.Path(args.reports) / PICTURE
    draw(found, picture)
    print(f"Picture: {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
