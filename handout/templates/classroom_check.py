"""Score one check for GitHub Classroom: exit 0 if it passed in reports/results.json.

    python3 .github/classroom_check.py PART CHECK_NAME

`make grade FRESH=1` runs every check once and writes reports/results.json; the Classroom workflow
then calls this once per check, so each check is a Classroom test worth its own points.
"""

import json
import pathlib
import sys

part, name = sys.argv[1], sys.argv[2]
report = pathlib.Path("reports/results.json")
if not report.exists():
    sys.exit("no reports/results.json: the Grade step did not run (see its log)")
for test in json.loads(report.read_text())["tests"]:
    if test["name"].startswith(f"part {part} /") and test["name"].endswith(f": {name}"):
        print(test["output"])
        sys.exit(0 if test["score"] >= test["max_score"] else 1)
sys.exit(f"part {part}, {name}: not in reports/results.json")
