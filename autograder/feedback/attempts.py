"""The attempt log, `reports/attempts.jsonl`: what a learner did and when, one JSON object a line.

    {"time": "2026-12-07T10:00:00+00:00", "kind": "grade", "part": 1, "digest": "...",
     "score": 5, "max_score": 25, "checks": {...}}
    {"time": "2026-12-07T10:02:13+00:00", "kind": "hint", "part": 1, "exercise": "fit_linear",
     "level": 2}

Grading appends a "grade" record per part, `make hint` a "hint" record per hint shown (hint.py).
`append` adds one record, `read` gives them all back in the order they were written. Lines are
only ever appended, each in one write, so two writers never interleave within a line; a line cut
short (a process killed mid-write) or edited by hand is skipped, never fatal.

Plain files and JSON: runs on either side of the process boundary, never imports TensorFlow, and
imports nothing of the repository.
"""

import datetime
import json
import pathlib

FILE_NAME = "attempts.jsonl"


def now():
    """The current time, ISO 8601 in UTC to the second: "2026-12-07T10:02:13+00:00"."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def append(reports_dir, record):
    """Append `record` (a dict; "time" added when absent) as one line of the log in `reports_dir`,
    creating the folder; return the record as written."""
    record = {"time": now(), **record} if "time" not in record else dict(record)
    folder = pathlib.Path(reports_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / FILE_NAME, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")
        log.flush()
    return record


def read(reports_dir):
    """Every record of the log in `reports_dir`, oldest first, as dicts; [] when there is no log.
    Lines that are not a JSON object are skipped."""
    path = pathlib.Path(reports_dir) / FILE_NAME
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
