"""The two faces of a grading run: the table a learner reads and Gradescope's results.json.

A result is a plain dict, the same in the child that ran the check, in the parent that merged
the parts, and in the JSON:
    {"part": 1, "name": "standardize_matches_numpy", "exercise": "standardize",
     "summary": "Check that ...", "score": 2, "max_score": 2, "hidden": False,
     "status": "passed" | "failed" | "not attempted" | "error", "message": "...", "duration": 0.1,
     "measured": [{"what", "value", "threshold", "at_most"}], "files": ["/abs/reports/x.png"],
     "cached": True (only when the outcome was kept from an earlier grading: supervise/store.py)}

A part whose every check failed for one reason (a file that cannot be imported) gets that reason
once in the table; results.json keeps one entry per check, each with the reason (Gradescope has
no part-level entry).
"""

import json
import os
import textwrap

from autograder.checkkit.registry import PARTS

STATUS_LABEL = {"passed": "PASS", "failed": "FAIL", "not attempted": "TODO", "error": "FAIL",
                "grading failure": "VOID"}  # the grader failed (out of memory), not the learner


def format_points(value):
    return f"{value:g}"


def format_number(value):
    return f"{value:.3f}" if abs(value) >= 0.01 or value == 0 else f"{value:.2g}"


def message_body(result):
    """The message without its "part N, exercise: " prefix."""
    prefix = f"part {result['part']}, {result['exercise']}: "
    return result["message"].removeprefix(prefix)


def part_problem(rows):
    """The one message of a part whose every check failed for the same reason (a file that cannot
    be imported, a missing file), or None: the table says it once, not once per check."""
    bodies = {message_body(r) for r in rows}
    if len(rows) > 1 and len(bodies) == 1 and all(r["status"] == "error" for r in rows):
        return bodies.pop()
    return None


def describe_measured(measured):
    """"held-out accuracy 0.981 (needs at least 0.92)": what a passing check measured."""
    by_what = {}
    for m in measured:
        by_what.setdefault(m["what"], []).append(m)
    parts = []
    for what, values in by_what.items():
        label = what.split(": ", 1)[-1]
        bound = "at most" if values[0].get("at_most") else "at least"
        numbers = ", ".join(format_number(m["value"]) for m in values)
        parts.append(f"{label} {numbers} (needs {bound} {values[0]['threshold']:g})")
    return "; ".join(parts)


def shown_path(path):
    """A file's path as the learner typed theirs: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def format_table(results, width=100):
    """The learner's table: one line per check, feedback under each miss, what a pass measured,
    the pictures a check drew, totals per part."""
    lines = []

    def note(text, indent=15):
        lines.extend(textwrap.wrap(text, width=width, initial_indent=" " * indent,  # paths whole
                                   subsequent_indent=" " * indent, break_on_hyphens=False,
                                   break_long_words=False))

    for part in sorted({r["part"] for r in results}):
        rows = [r for r in results if r["part"] == part]
        lines.append(f"Part {part} ({PARTS.get(part, '?')})")
        problem = part_problem(rows)
        if problem:
            note(f"part {part}, all {len(rows)} checks: {problem}", indent=2)
        for r in rows:
            points = f"{format_points(r['score'])}/{format_points(r['max_score'])}"
            lines.append(f"  {STATUS_LABEL[r['status']]} {points:>7}  {r['exercise']}: {r['name']}")
            if r["status"] != "passed" and not problem:
                note(r["message"])
            if r["status"] == "passed" and r.get("measured"):
                note(describe_measured(r["measured"]))
            if r.get("files"):
                note("pictures: " + ", ".join(shown_path(f) for f in r["files"]))
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
        measured = "\n" + describe_measured(r["measured"]) if r.get("measured") else ""
        tests.append(
            {
                "name": f"part {r['part']} / {r['exercise']}: {r['name']}",
                "score": r["score"],
                "max_score": r["max_score"],
                "status": "passed" if r["status"] == "passed" else "failed",
                "output": r["summary"] + (measured if r["status"] == "passed" else "\n" + r["message"]),
                "visibility": "after_published" if r["hidden"] else "visible",
            }
        )
        tests[-1]["extra_data"] = {  # for instructors, bench and the nbgrader engine
            "seconds": r.get("duration", 0.0), "part": r["part"], "check": r["name"],
            "exercise": r["exercise"], "status": r["status"], "message": r["message"]}
        if r.get("measured"):  # accuracies and ratios behind a threshold
            tests[-1]["extra_data"]["measured"] = r["measured"]
        if r.get("files"):  # pictures the check drew, by name: they lie beside results.json, and
            # a learner shown results.json (on Gradescope) never sees a grader's folders
            tests[-1]["extra_data"]["files"] = [os.path.basename(f) for f in r["files"]]
        if r.get("cached"):  # kept from an earlier grading of the same code (make grade's store)
            tests[-1]["extra_data"]["cached"] = True
    report = {
        "score": sum(r["score"] for r in results),
        "max_score": sum(r["max_score"] for r in results),
        "output": "Parts graded: " + ", ".join(str(p) for p in sorted({r["part"] for r in results}))
        + ("\nSome checks could not be graded (a grading failure, not your code's): tell your instructor."
           if any(r["status"] == "grading failure" for r in results) else ""),
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
