"""Writes a perfect results.json where the grader will write its report.

base: stub
expect: *: not attempted
"""
import json
import os
import pathlib

report = pathlib.Path(os.environ.get("AUTOGRADER_REPORTS_DIR", "reports")) / "results.json"
report.parent.mkdir(parents=True, exist_ok=True)
report.write_text(json.dumps({"score": 100, "tests": []}))
