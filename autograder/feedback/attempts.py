"""The attempt log, `reports/attempts.jsonl`: what a learner did and when, one JSON object a line.

    {"time": "2026-12-07T10:00:00Z", "kind": "grade", "part": 1, "digest": "...",
     "score": 5, "max_score": 25, "checks": {...}}
    {"time": "2026-12-07T10:02:13Z", "kind": "hint", "part": 1, "exercise": "fit_linear",
     "level": 2}

Grading appends a "grade" record per part (`make grade` and `make watch`, only with the store:
the paths that record grades never write it), `make hint` a "hint" record per hint shown
(hint.py); `make progress` reads it (progress.py).
`append` adds one record, `read` gives them all back in the order they were written. Lines are
only ever appended, each in one write, so two writers never interleave within a line; a line cut
short (a process killed mid-write) or edited by hand is skipped, never fatal.

Plain files and JSON: runs on either side of the process boundary, never imports TensorFlow, and
imports nothing of the repository.
"""

import datetime
import json
import pathlib

NAME = "attempts.jsonl"


def now():
    """The current time, ISO 8601 in UTC to the second: "2026-12-07T10:02:13Z"."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(reports_dir, record):
    """Append `record` (a dict; "time" added when absent) as one line of the log in `reports_dir`,
    creating the folder; return the record as written."""
    record = {"time": now(), **record} if "time" not in record else dict(record)
    folder = pathlib.Path(reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / NAME, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
        log.flush()
    return record


def read(reports_dir):
    """Every record of the log in `reports_dir`, oldest first, as dicts; [] when there is no log.
    Lines that are not a JSON object are skipped."""
    path = pathlib.Path(reports_dir) / NAME
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
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
