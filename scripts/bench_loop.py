"""`make bench ONLY=loop`: the learner's loop, as a learner feels it (issue 20).

    PYTHONPATH=. .venv/bin/python scripts/bench.py --only loop [--runs 5]

Measured in one run, one thing at a time, on a copy of the reference (all parts) in a scratch
folder, with the repository's own store (.grade-store, as `make grade` and `make watch` use it):

- `make grade` of an unchanged tree, the store warm: nothing to grade, so no grading process and
  no TensorFlow import (target: at most 1.5 s);
- `make watch`: from the save of a Part 1 exercise (standardize, its body changed) to the new
  total on the screen (target: at most 1 s), and likewise for Part 2's confusion_matrix (at most
  2 s). Each save changes the function's code in a new way, so it is graded every time.

The load of the machine (its load average) and TensorFlow's import time are measured in the same
minutes: on a shared machine the times scale with them.
"""

import ast
import os
import pathlib
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from autograder.checkkit.registry import PARTS
from materials import banks

EDITED = {1: "standardize", 2: "confusion_matrix"}
TARGETS = {"unchanged": 1.5, 1: 1.0, 2: 2.0}


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def with_edit(part, run):
    """The reference of `part` with its exercise's function given a new first statement (a
    different one each run): a new key, graded again."""
    text = banks.reference_file(part).read_text()
    node = next(n for n in ast.parse(text).body if getattr(n, "name", None) == EDITED[part])
    source = ast.get_source_segment(text, node)
    header, body = source.split("\n", 1)
    return text + f"\n\n{header}\n    bench_edit = {run}  # makes this run's key new\n{body}\n"


def unchanged_grades(root, folder, runs):
    """`make grade` of the unchanged tree, after one grading that fills the store."""
    command = ["make", "-s", "grade", f"SUBMISSION={folder}"]
    subprocess.run(command, cwd=root, capture_output=True, check=True)
    seconds = []
    for _ in range(runs):
        begin = time.monotonic()
        result = subprocess.run(command, cwd=root, capture_output=True, text=True)
        seconds.append(time.monotonic() - begin)
        if result.returncode or "(kept)" not in result.stdout:
            raise SystemExit(f"bench: make grade did not reuse the store:\n{result.stdout}\n{result.stderr}")
    return spread(seconds)


def watch_saves(root, folder, runs):
    """{part: seconds from a save to the new total} with `make watch` running on `folder`."""
    process = subprocess.Popen(["make", "-s", "watch", f"SUBMISSION={folder}"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    totals = queue.Queue()

    def read():
        for line in process.stdout:
            if line.startswith("Total:"):
                totals.put(time.monotonic())

    threading.Thread(target=read, daemon=True).start()
    try:
        totals.get(timeout=900)  # the first grading
        time.sleep(20)  # TensorFlow imported in the fork server meanwhile, as a learner reads
        found = {}
        for part in EDITED:
            seconds = []
            for run in range(runs):
                path = folder / f"{PARTS[part]}.py"
                text = with_edit(part, f"{part}{run}")
                time.sleep(1)
                while not totals.empty():  # a total a save before this one printed late
                    totals.get()
                begin = time.monotonic()
                path.write_text(text)
                shown = totals.get(timeout=600)
                while shown < begin:
                    shown = totals.get(timeout=600)
                seconds.append(shown - begin)
            found[part] = spread(seconds)
        return found
    finally:
        os.killpg(process.pid, 2)  # Ctrl-C
        process.wait(timeout=60)


def measure(parts, runs, calibration):
    """The loop's three timings, with the machine's load and TensorFlow's import time."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="bench-loop-"))
    try:
        for part in parts:
            shutil.copy(banks.reference_file(part), folder)
        load_before = os.getloadavg()[0]
        facts = {"calibration": calibration(), "unchanged": unchanged_grades(banks.ROOT, folder, runs)}
        facts["watch"] = watch_saves(banks.ROOT, folder, runs)
        facts["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        facts["cores"] = os.cpu_count()
        return facts
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def row(label, times, target):
    return (f"| {label} | {times['median']:.2f} s | {times['min']:.2f} s | {times['max']:.2f} s "
            f"| {times['n']} | at most {target:g} s |")


def render(facts):
    cal = facts["calibration"]
    return ["## The learner's loop: make grade with its store, make watch", "",
            f"`import tensorflow` took {cal['import_tensorflow']['median']:.1f} s meanwhile; the load "
            f"average was {facts['load'][0]:g} before and {facts['load'][1]:g} after, on "
            f"{facts['cores']} cores.", "",
            "| what | median | min | max | runs | target |", "|---|---|---|---|---|---|",
            row("`make grade`, unchanged tree (nothing graded, no TensorFlow)", facts["unchanged"],
                TARGETS["unchanged"]),
            row("`make watch`, save of Part 1's standardize to the new total", facts["watch"][1], TARGETS[1]),
            row("`make watch`, save of Part 2's confusion_matrix to the new total", facts["watch"][2], TARGETS[2])]


if __name__ == "__main__":
    sys.exit("run it through scripts/bench.py --only loop")
