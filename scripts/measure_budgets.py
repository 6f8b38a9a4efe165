"""Measure each check's time on the reference and write it into autograder/checkkit/budgets.py.

    PYTHONPATH=. .venv/bin/python scripts/measure_budgets.py [--runs 3]

Each check runs alone, on the reference, in a process forked for it from this one once TensorFlow
and the checks are imported and before any TensorFlow op has run (as the fork server forks a
grading process), so it pays all that a check pays when it runs first in a fresh grading process.
The median of --runs runs of every check, with the date, commit, machine and how loaded it was,
replaces the block between the markers at the end of autograder/checkkit/budgets.py. Run it again after
adding or changing a check; budgets.py says how a budget follows from these figures.
"""

import argparse
import dataclasses
import os
import pathlib
import statistics
import sys
import tempfile
import textwrap
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import calibration, machine  # noqa: E402  (scripts/bench.py)

import autograder.execute.preload  # noqa: E402,F401  TensorFlow and the checks, imported as the fork server does
from autograder.checkkit import budgets, environment, registry  # noqa: E402
from autograder.checkkit.registry import course_parts as available_parts  # noqa: E402
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module  # noqa: E402

BEGIN = "# ---- written by scripts/measure_budgets.py: do not edit by hand ----\n"
END = "# ---- end of what scripts/measure_budgets.py writes ----\n"
NO_LIMIT = 900  # seconds: a measurement must not be cut short by the budget it measures


def seconds_in_a_fresh_process(graded, reference):
    """Fork; in the child, import the reference and time run_check on `graded` alone."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        status = 1
        try:
            os.close(reader)
            module = learner_module.import_part(reference, graded.part)
            begin = time.monotonic()
            outcome = check_runner.run_check(dataclasses.replace(graded, timeout=NO_LIMIT), module)
            seconds = time.monotonic() - begin
            os.write(writer, f"{seconds} {outcome[0]} {outcome[1]}".encode())
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as stream:
        text = stream.read()
    os.waitpid(pid, 0)
    seconds, status, message = (text.split(" ", 2) + ["", ""])[:3]
    if status != "passed":
        raise SystemExit(f"measure_budgets: the reference does not pass part {graded.part}, "
                         f"{graded.name}: {status} {message}")
    return float(seconds)


def measure(runs):
    """{budgets.key: median seconds} for every check of every part."""
    os.environ["AUTOGRADER_REPORTS_DIR"] = tempfile.mkdtemp()  # pictures: not over reports/'s
    measured = {}
    for part in available_parts():
        reference = ROOT / "solutions" / f"{registry.PARTS[part]}.py"
        for graded in checks_for(part):
            times = [seconds_in_a_fresh_process(graded, reference) for _ in range(runs)]
            measured[budgets.key(part, graded.name, graded.hidden)] = round(statistics.median(times), 2)
            budget = budgets.budget(part, graded.name, graded.hidden)  # before this run's figures
            print(f"part {part} {graded.name:60s} {' '.join(f'{t:6.2f}' for t in times)} s "
                  f"(budget now {budget} s)", flush=True)
    return measured


def write(measured, described, path=ROOT / "autograder" / "checkkit" / "budgets.py"):
    """Replace the block between BEGIN and END in budgets.py with these figures."""
    head, rest = path.read_text().split(BEGIN)
    _, tail = rest.split(END)
    lines = textwrap.wrap(described, 92, drop_whitespace=False)
    block = ("MEASURED_ON = (\n" + "".join(f"    {line!r}\n" for line in lines) + ")\n"
             + "MEASURED = {  # seconds\n" + "".join(f"    {k!r}: {v},\n" for k, v in measured.items()) + "}\n")
    path.write_text(head + BEGIN + block + END + tail)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    environment.quiet_tensorflow()
    where, speed = machine(), calibration()
    load_before = os.getloadavg()[0]
    begin = time.monotonic()
    measured = measure(args.runs)
    load_after = os.getloadavg()[0]
    described = (f"{where['date']}, commit {where['commit']}, median of {args.runs} runs, "
                 f"{time.monotonic() - begin:.0f} s in all: {where['cpu']}, {where['cores']} cores, "
                 f"load average {load_before:.1f} before and {load_after:.1f} after; Python "
                 f"{where['python']}, TensorFlow {where['tensorflow']}; `import tensorflow` took "
                 f"{speed['import_tensorflow']['median']:.1f} s (BENCHMARKS.md's machine: 8.2 s)")
    write(measured, described)
    print(f"autograder/checkkit/budgets.py: {len(measured)} checks measured; {described}")


if __name__ == "__main__":
    sys.exit(main())
