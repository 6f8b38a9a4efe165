"""The learner's attempt log, `reports/attempts.jsonl`: one JSON object a line, appended.

Runs in the parent (`make grade`, `make watch`, the hints' command), never in a grading process; imports
nothing of TensorFlow. Two kinds of line share the file:

    {"time": "2026-12-07T10:04:05Z", "kind": "grade", "part": 1, "digest": "<sha256 of the file>",
     "score": 12, "max_score": 26, "checks": {"standardize_matches_numpy":
         {"status": "passed", "score": 2, "max_score": 2, "cached": false}, ...}}
    {"time": ..., "kind": "hint", "part": 1, "exercise": "standardize", "level": 2}

`make progress` (progress.py) reads it. Only the learner's own loop writes it (`--store`): the
paths that record grades never do.
"""

import datetime
import json
import pathlib

NAME = "attempts.jsonl"


def now():
    """The time as the log writes it: ISO 8601, UTC, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(reports_dir, record):
    """Append `record` (with "time" added if absent) as one line to reports_dir/attempts.jsonl,
    creating the folder; flushed before it returns."""
    path = pathlib.Path(reports_dir) / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"time": now(), **record} if "time" not in record else record) + "\n"
    with open(path, "a", encoding="utf-8") as log:  # one write of one line: appends stay whole
        log.write(line)
        log.flush()


def read(reports_dir):
    """Every record of reports_dir/attempts.jsonl, in order, as dicts; lines that are not a JSON
    object (a line cut short, a hand edit) are skipped. No file: []."""
    try:
        text = (pathlib.Path(reports_dir) / NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    records = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def grade_record(part, digest, results, time=None):
    """The "grade" line for one part's results (report.py's result dicts)."""
    record = {"kind": "grade", "part": part, "digest": digest,
              "score": sum(r["score"] for r in results), "max_score": sum(r["max_score"] for r in results),
              "checks": {r["name"]: {"status": r["status"], "score": r["score"], "max_score": r["max_score"],
                                     "cached": bool(r.get("cached"))} for r in results}}
    return {"time": time, **record} if time else record
