"""One learner's grading, seen from the class: the engine's arguments and time limit, and the
record (`Graded`) read from what the engine wrote.

Runs on the instructor's side (and on a Dask worker); never imports or runs a learner's code.
"""

import collections
import dataclasses
import json

from autograder.checkkit import limits
from autograder.checkkit.registry import course_parts
from autograder.supervise.cli import GRADING_FAILED


@dataclasses.dataclass
@dataclasses.dataclass
class Graded:
    learner: str
    results: dict | None  # the learner's results.json, None when the grader wrote none
    seconds: float
    problem: str  # "" when nothing went wrong


def engine_arguments(submission, report, parts, check_timeout):
    """The arguments of `python -m autograder` for one learner: one part at a time, and never
    without the sandbox (UNSANDBOXED=1 in the environment overrides it, with a warning)."""
    argv = ["--submission", str(submission), "--report", str(report), "--jobs", "1", "--sandbox", "require"]
    for part in parts:
        argv += ["--part", str(part)]
    if check_timeout:
        argv += ["--check-timeout", str(check_timeout)]
    return argv


def learner_timeout(parts):
    """How long one learner may take before the worker grading it is stopped: a safety net for
    a stuck grader (the engine stops a part at PART_SECONDS, and may grade it again alone)."""
    return 2 * limits.PART_SECONDS * max(1, len(parts or course_parts())) + 120


def read_report(learner, report, status, output, seconds):
    """The Graded of a learner whose grader exited with `status`, having printed `output` (kept
    beside the report as grade.log)."""
    (report.parent / "grade.log").write_text(output)
    try:
        results = json.loads(report.read_text())
    except (OSError, ValueError):
        return Graded(learner, None, seconds, f"grader error (exit {status}; see grade.log)")
    if status not in (0, GRADING_FAILED):
        return Graded(learner, results, seconds, f"grader error (exit {status}; see grade.log)")
    return Graded(learner, results, seconds, describe_problems(results))


def not_graded(learner, report, why, seconds=0.0):
    """The Graded of a learner whose grading the machinery lost for good (`why`)."""
    report.parent.mkdir(parents=True, exist_ok=True)
    (report.parent / "grade.log").write_text(f"not graded: {why}\n")
    return Graded(learner, None, seconds, f"grading failure ({why})")


def describe_problems(results):
    """'part 1: syntax error; part 3: no file' from a report's extra_data (`python -m autograder`'s), or ''."""
    found = results.get("extra_data", {}).get("problems", {})
    return "; ".join(f"part {part}: {', '.join(kinds)}" for part, kinds in sorted(found.items(), key=lambda i: int(i[0])))


def grading_failed(graded):
    """Did the grader fail some check of this learner's (out of memory beside the others)? Then
    the learner is graded again, alone. A learner it could not grade at all is not: its grading
    lost the grader's process twice already."""
    return graded.results is not None and "grading failure" in graded.problem


def problem_kinds(problem):
    """['syntax error', 'no file'] from 'part 1: syntax error; part 3: no file', and
    ['grader error'] from 'grader error (exit 1; see grade.log)'."""
    if not problem.startswith("part "):
        return [problem.split(" (")[0]]
    return [kind for entry in problem.split("; ") for kind in entry.split(": ", 1)[1].split(", ")]


def problem_counts(rows):
    """How often each kind of problem occurred among `rows`."""
    return collections.Counter(kind for row in rows if row.problem for kind in problem_kinds(row.problem))


def grader_failures(kinds):
    """Of `kinds` (problem_counts), how many were the grader failing (wholly or in part: the
    machinery's fault, never the learner's)."""
    return kinds["grading failure"] + kinds["grader error"]
