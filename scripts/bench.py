"""`make bench`: measure grading the way its users feel it, and write BENCHMARKS.md.

    PYTHONPATH=. .venv/bin/python scripts/bench.py [--runs 5] [--learners 4] [--skip-clone]

Everything runs in one go on this machine, one thing at a time: `make grade` on the reference
(whole and per part), the same reference notebooks autograded by nbgrader, each grading process's
peak memory, a class graded with 1 and 2 workers, the accuracies of Parts 2 and 3, and the time
from a clean clone to the first `make grade` result (installation included).
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.run import available_parts  # noqa: E402
from handout import nbgrader_course  # noqa: E402


def timed(command, cwd=ROOT, env=None):
    """Run `command`; return (seconds, completed process). Fails loudly: a benchmark of a broken
    command measures nothing."""
    begin = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - begin
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def grade_reference(parts, runs, report):
    """`make grade` wall times and each grading process's peak memory; the last report's data."""
    seconds, peaks, last = [], {}, None
    for _ in range(runs):
        command = ["make", "-s", "grade", "SUBMISSION=solutions"] + [f"PART={' '.join(map(str, parts))}"]
        elapsed, _ = timed(command)
        seconds.append(elapsed)
        last = json.loads((ROOT / "reports" / "results.json").read_text())
        assert last["score"] == last["max_score"], "the reference must get full marks"
        for stats in last["extra_data"]["parts"]:
            peaks.setdefault(stats["part"], []).append(stats["peak_rss_mb"])
    return spread(seconds), {part: max(values) for part, values in peaks.items()}, last


def nbgrader_per_learner(runs):
    """Median seconds of `nbgrader autograde` for one learner who submitted every reference notebook."""
    seconds = []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as folder:
            course = pathlib.Path(folder) / "course"
            shutil.copytree(ROOT / "course" / "source", course / "source")
            shutil.copy(ROOT / "course" / "nbgrader_config.py", course)
            nbgrader_course.stage_helpers(course)
            nbgrader_course.nbgrader(course, "generate_assignment", "*", "--force")
            learner = course / "submitted" / "bench"
            for notebook in sorted((course / "source").glob("*/*.ipynb")):
                target = learner / notebook.parent.name / notebook.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(notebook, target)
                (target.parent / "timestamp.txt").write_text(
                    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
            nbgrader_course.nbgrader(course, "db", "student", "add", "bench")
            begin = time.monotonic()
            nbgrader_course.nbgrader(course, "autograde", "*", "--student", "bench", "--force")
            seconds.append(time.monotonic() - begin)
    return spread(seconds)


def batch_throughput(learners, jobs):
    """Learners per minute grading a class of reference submissions with `jobs` workers."""
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        for index in range(learners):
            shutil.copytree(ROOT / "solutions", pathlib.Path(folder) / "class" / f"learner{index}",
                            ignore=shutil.ignore_patterns("__pycache__"))
        elapsed, _ = timed([sys.executable, "-m", "autograder.batch", str(pathlib.Path(folder) / "class"),
                            "--jobs", str(jobs), "--out", str(pathlib.Path(folder) / "out")],
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return 60 * learners / elapsed, elapsed


def clean_clone_to_first_grade():
    """Seconds from `git clone` to the first `make grade` result, installation included."""
    with tempfile.TemporaryDirectory(prefix="bench-clone-") as folder:
        clone = pathlib.Path(folder) / "course"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        begin = time.monotonic()
        timed(["git", "clone", "-q", str(ROOT), str(clone)], env=env)
        timed(["make", "-s", "grade"], cwd=clone, env=env)
        return time.monotonic() - begin


def machine():
    cpu = "unknown CPU"
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(pathlib.Path("/proc/meminfo").read_text().split()[1]) / 2**20
    versions = subprocess.run([sys.executable, "-c", "import tensorflow as tf, keras, nbgrader; "
                               "print(tf.__version__, keras.__version__, nbgrader.__version__)"],
                              capture_output=True, text=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")).stdout.split()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory, 1),
            "python": platform.python_version(), "tensorflow": versions[0], "keras": versions[1],
            "nbgrader": versions[2], "date": datetime.date.today().isoformat()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--learners", type=int, default=4)
    parser.add_argument("--skip-clone", action="store_true", help="leave out the clean-clone timing")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)

    parts = available_parts()
    print("bench: machine", flush=True)
    facts = {"machine": machine()}
    print("bench: make grade, all parts", flush=True)
    facts["full"], facts["peak_rss_mb"], last = grade_reference(parts, args.runs, "full")
    facts["per_part"] = {}
    for part in parts:
        print(f"bench: make grade PART={part}", flush=True)
        facts["per_part"][part] = grade_reference([part], args.runs, part)[0]
    facts["measured"] = [dict(m, check=t["name"]) for t in last["tests"]
                         for m in t.get("extra_data", {}).get("measured", [])]
    facts["part_seconds"] = {s["part"]: s["seconds"] for s in last["extra_data"]["parts"]}
    print("bench: nbgrader autograde", flush=True)
    facts["nbgrader"] = nbgrader_per_learner(max(3, args.runs // 2))
    print("bench: grade-batch", flush=True)
    facts["batch"] = {jobs: batch_throughput(args.learners, jobs) for jobs in (1, 2)}
    if not args.skip_clone:
        print("bench: clean clone to first make grade", flush=True)
        facts["clone_seconds"] = clean_clone_to_first_grade()
    args.out.write_text(render(facts))
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench.json").write_text(json.dumps(facts, indent=2, default=str) + "\n")
    print(f"bench: wrote {args.out.relative_to(ROOT)}")
    return 0


def render(facts):
    m, full, nb = facts["machine"], facts["full"], facts["nbgrader"]
    ours_per_learner = full["median"]
    one, two = facts["batch"][1][0], facts["batch"][2][0]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {m['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB;",
        f"Python {m['python']}, TensorFlow {m['tensorflow']} (CPU), Keras {m['keras']}, nbgrader {m['nbgrader']}.",
        "Rerun with `make bench` (about 15 minutes); raw figures in reports/bench.json.",
        "",
        "## Grading the reference with `make grade`",
        "",
        "| what | median | min | max | runs | target |",
        "|---|---|---|---|---|---|",
        f"| all parts | {full['median']:.1f} s | {full['min']:.1f} s | {full['max']:.1f} s | {full['n']} | 20 s |",
    ]
    for part, times in facts["per_part"].items():
        target = "8 s" if part == 1 else ""
        lines.append(f"| part {part} | {times['median']:.1f} s | {times['min']:.1f} s | {times['max']:.1f} s | {times['n']} | {target} |")
    lines += [
        "",
        "## Against nbgrader",
        "",
        "| per learner, every part | median | min | max |",
        "|---|---|---|---|",
        f"| `nbgrader autograde` of the reference notebooks | {nb['median']:.1f} s | {nb['min']:.1f} s | {nb['max']:.1f} s |",
        f"| `make grade` of the reference files | {ours_per_learner:.1f} s | {full['min']:.1f} s | {full['max']:.1f} s |",
        "",
        f"nbgrader / ours: **{nb['median'] / ours_per_learner:.1f}x** (target: at least 6x).",
        "",
        "## Memory: peak resident set of each grading process",
        "",
        "| part | peak RSS | target |",
        "|---|---|---|",
    ]
    for part, peak in sorted(facts["peak_rss_mb"].items()):
        lines.append(f"| {part} | {peak:.0f} MB | 768 MB |")
    lines += [
        "",
        "## A class: `make grade-batch`",
        "",
        "| workers | learners per minute | seconds |",
        "|---|---|---|",
        f"| 1 | {one:.2f} | {facts['batch'][1][1]:.1f} |",
        f"| 2 | {two:.2f} | {facts['batch'][2][1]:.1f} |",
        "",
        f"2 workers / 1: **{two / one:.2f}x** (target: at least 1.7x).",
        "",
        "## Accuracy and training time (the reference, grader's seed)",
        "",
        "| check | measured | threshold |",
        "|---|---|---|",
    ]
    for m_ in facts["measured"]:
        lines.append(f"| {m_['check']}: {m_['what']} | {m_['value']:.4g} | {m_['threshold']:.4g} |")
    lines += ["", "| part | seconds in the last full run |", "|---|---|"]
    for part, seconds in sorted(facts["part_seconds"].items()):
        lines.append(f"| {part} | {seconds:.1f} |")
    if "clone_seconds" in facts:
        lines += ["", "## From a clean clone",
                  "",
                  f"`git clone` then `make grade` (creates .venv, installs the pinned packages, grades the "
                  f"stubs): **{facts['clone_seconds']:.0f} s**, with pip's download cache as this machine had it."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
