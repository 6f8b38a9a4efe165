"""The class's gradebook (grades.csv) and the folder a batch writes it in.

One row per learner: the points of each part, the total, the maximum and what went wrong, if
anything ("part 1: syntax error; part 3: no file"). Each run starts its folder afresh, so no
earlier run's results mix with this one's.
"""

import csv
import shutil

MARKER = ".grade-batch"  # in every folder a run wrote: only such a folder is cleared by the next


def points_by_part(results):
    """{part number: (score, max)} from a results.json whose test names start with 'part N /'."""
    totals = {}
    for test in results["tests"]:
        part = int(test["name"].split()[1])
        score, possible = totals.get(part, (0, 0))
        totals[part] = (score + test["score"], possible + test["max_score"])
    return totals


def write_gradebook(path, rows, parts):
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["learner"] + [f"part{p}" for p in parts] + ["total", "max", "problem"])
        for row in sorted(rows, key=lambda row: row.learner):
            if row.results is None:
                writer.writerow([row.learner] + [""] * len(parts) + ["", "", row.problem])
                continue
            totals = points_by_part(row.results)
            writer.writerow([row.learner] + [f"{totals.get(p, (0, 0))[0]:g}" for p in parts]
                            + [f"{row.results['score']:g}", f"{row.results['max_score']:g}", row.problem])


def fresh_folder(out):
    """Empty `out` for this run. Only a folder an earlier run wrote (MARKER, or its grades.csv)
    is cleared; any other folder that holds files is refused: it may be someone's work."""
    if out.is_dir() and any(out.iterdir()):
        if not ((out / MARKER).exists() or (out / "grades.csv").exists()):
            return f"{out} holds files that grade-batch did not write; choose another --out"
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Written by `make grade-batch`: its next run clears this folder.\n")
    return None
