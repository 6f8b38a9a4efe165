"""The two faces of a grading run: the table a learner reads and Gradescope's results.json.

A result is a plain dict, the same in the child that ran the check, in the parent that merged
the parts, and in the JSON:
    {"part": 1, "name": "standardize_matches_numpy", "exercise": "standardize",
     "summary": "Check that ...", "score": 2, "max_score": 2, "hidden": False,
     "status": "passed" | "failed" | "not attempted" | "error", "message": "...", "duration": 0.1}
"""

import json
import textwrap

from autograder.registry import PARTS

STATUS_LABEL = {"passed": "PASS", "failed": "FAIL", "not attempted": "TODO", "error": "FAIL"}


def format_points(value):
    return f"{value:g}"


def format_table(results, width=100):
    """The learner's table: one line per check, feedback under each miss, totals per part."""
    lines = []
    for part in sorted({r["part"] for r in results}):
        rows = [r for r in results if r["part"] == part]
        lines.append(f"Part {part} ({PARTS.get(part, '?')})")
        for r in rows:
            points = f"{format_points(r['score'])}/{format_points(r['max_score'])}"
            lines.append(f"  {STATUS_LABEL[r['status']]} {points:>7}  {r['exercise']}: {r['name']}")
            if r["status"] != "passed":
                lines += textwrap.wrap(
                    r["message"], width=width, initial_indent=" " * 15, subsequent_indent=" " * 15
                )
        earned, possible = sum(r["score"] for r in rows), sum(r["max_score"] for r in rows)
        lines.append(f"  Part {part}: {format_points(earned)}/{format_points(possible)} points")
        lines.append("")
    earned = sum(r["score"] for r in results)
    possible = sum(r["max_score"] for r in results)
    lines.append(f"Total: {format_points(earned)}/{format_points(possible)} points")
    return "\n".join(lines)


def gradescope_results(results, execution_time=None, extra_data=None):
    """Gradescope's results.json: top-level score, tests[] with name, score, max_score, output."""
    tests = []
    for r in results:
        tests.append(
            {
                "name": f"part {r['part']} / {r['exercise']}: {r['name']}",
                "score": r["score"],
                "max_score": r["max_score"],
                "status": "passed" if r["status"] == "passed" else "failed",
                "output": r["summary"] + ("" if r["status"] == "passed" else "\n" + r["message"]),
                "visibility": "after_published" if r["hidden"] else "visible",
            }
        )
        tests[-1]["extra_data"] = {  # for instructors, bench and the nbgrader engine
            "seconds": r.get("duration", 0.0), "part": r["part"], "check": r["name"],
            "exercise": r["exercise"], "status": r["status"], "message": r["message"]}
        if r.get("measured"):  # accuracies and ratios behind a threshold
            tests[-1]["extra_data"]["measured"] = r["measured"]
    report = {
        "score": sum(r["score"] for r in results),
        "max_score": sum(r["max_score"] for r in results),
        "output": "Parts graded: " + ", ".join(str(p) for p in sorted({r["part"] for r in results})),
        "tests": tests,
    }
    if execution_time is not None:
        report["execution_time"] = round(execution_time, 2)
    if extra_data is not None:
        report["extra_data"] = extra_data  # Gradescope's field for the autograder's own data
    return report


def write_results(path, results, execution_time=None, extra_data=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    report = gradescope_results(results, execution_time, extra_data)
    path.write_text(json.dumps(report, indent=2) + "\n")
