"""Gradescope leaderboard entries from a results.json: the held-out accuracies the checks measured.

    python -m autograder.feedback.leaderboard results.json      (adds "leaderboard" to the file, in place)

Gradescope shows an assignment's leaderboard from the `leaderboard` list of each submission's
results.json (gradescope/autograder_samples, docs/specs.md): [{"name", "value", "order"}], order
"desc" (higher is better, the default) or "asc". The entries come from what the checks measured
(report.py's extra_data.measured): Part 2's CNN held-out accuracy, Part 3's head accuracy on
5-9 and its fine-tuning difference, each rounded to 3 digits as the learner's table shows them.
A check that measured nothing (its part not graded, a crash before training) gives no entry.

Standard library only: a Gradescope autograder zip made with `make gradescope LEADERBOARD=1` adds
the entries after grading (handout/templates/gradescope_grade.py); an instructor can run it on
any results.json by hand.
"""

import json
import pathlib
import sys

ENTRIES = [  # (check, measured label, leaderboard column, order)
    ("cnn_test_accuracy", "held-out accuracy", "CNN held-out accuracy", "desc"),
    ("head_reaches_accuracy_on_new_digits", "held-out accuracy on 5-9", "Transfer head accuracy (5-9)", "desc"),
    ("fine_tune_keeps_accuracy", "fine-tuned minus head-only accuracy", "Fine-tuning gain", "desc"),
]


def leaderboard(results):
    """[{"name", "value", "order"}] for every ENTRIES quantity this results.json measured."""
    measured = {}
    for test in results.get("tests", []):
        extra = test.get("extra_data", {})
        for m in extra.get("measured", []):
            measured.setdefault((extra.get("check"), m["what"].split(": ", 1)[-1]), m["value"])
    return [{"name": column, "value": round(float(measured[check, label]), 3), "order": order}
            for check, label, column, order in ENTRIES if (check, label) in measured]


def add_leaderboard(path):
    """Add (or replace) results.json's leaderboard; return the entries."""
    path = pathlib.Path(path)
    results = json.loads(path.read_text())
    results["leaderboard"] = leaderboard(results)
    path.write_text(json.dumps(results, indent=2) + "\n")
    return results["leaderboard"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m autograder.feedback.leaderboard results.json", file=sys.stderr)
        return 2
    for entry in add_leaderboard(argv[0]):
        print(f"{entry['name']}: {entry['value']:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
