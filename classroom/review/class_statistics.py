"""The class's numbers: per check, per learner, per part, and what the checks measured.

    check_statistics(graded)    how many passed, mean points, discrimination (the correlation of
                                the check's points with the learner's total without them), the
                                most common failure messages grouped by what they say, time
    learner_rows(graded)        each learner's points per part, total, problems, checks lost
    part_resources(graded)      median and worst grading time and memory of each part
    measured_series(graded)     each measured value across the class (held-out accuracies, ...)

Discrimination is PrairieLearn's: a check that the strong learners pass and the weak ones fail
scores near 1; near 0 or below, it measures something other than the rest of the course (or a
flaky check). A check everyone passes (or everyone fails) has none: its points do not vary.
Instructor-side; imported by classroom/ only.
"""

import collections
import dataclasses
import re
import statistics

import numpy as np

FAILURE_GROUPS_SHOWN = 3  # the most common failure messages listed per check

# What varies between two learners who made the same mistake, replaced by a placeholder.
THEIR_LINE = re.compile(r"\(line \d+ of [^:()]*(?:\([^)]*\))?[^:()]*: .*?\)(?=\. |\.?$)")
ARRAY = re.compile(r"\[[^\[\]]*\]")
CUT_ARRAY = re.compile(r"\[[^\[\]]*?\.\.\.+")  # an array the grader cut short: "[[ 0.22  1.87 ..."
PATH = re.compile(r"(?<![\w.])(?:~|\.{1,2})?(?:/[\w.+@-]+){2,}/?")  # a file or folder: the learner's own
ELLIPSES = re.compile(r"…(?:[\s.]*…)+")
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?![\w])")


@dataclasses.dataclass
class FailureGroup:
    said: str  # the message with its values stripped: what the learners in it were told
    learners: list
    example: str  # one full message, values included


@dataclasses.dataclass
class CheckStatistics:
    part: int
    exercise: str
    check: str
    max_score: float
    graded: int  # learners graded on it
    passed: int
    mean_points: float | None
    discrimination: float | None  # None: its points did not vary, or too few learners
    failures: list  # [FailureGroup], most common first, at most FAILURE_GROUPS_SHOWN
    failure_kinds: int  # how many different failure messages (values stripped)
    median_seconds: float | None
    worst_seconds: float | None

    @property
    def pass_rate(self):
        return self.passed / self.graded if self.graded else None


@dataclasses.dataclass
class LearnerRow:
    name: str
    by_part: dict  # {part: points, or None when not submitted}
    total: float | None
    possible: float
    problems: list
    lost: list  # "part 1 / standardize_matches_numpy" for each check not passed


@dataclasses.dataclass
class MeasuredSeries:
    part: int
    check: str
    label: str  # "held-out accuracy", as the learner's report words it
    threshold: float
    at_most: bool
    values: list  # [(learner, value)]


def what_it_says(message, part=None, exercise=None):
    """The message with what varies between learners stripped: its 'part N, exercise: ' prefix,
    the learner's own line of code, file paths, arrays and numbers."""
    if part is not None:
        message = message.removeprefix(f"part {part}, {exercise}: ")
    message = PATH.sub("…", THEIR_LINE.sub("(line … of your file: …)", message))
    while ARRAY.search(message):
        message = ARRAY.sub("…", message)
    message = ELLIPSES.sub("…", CUT_ARRAY.sub("…", message))
    return " ".join(NUMBER.sub("#", message).split())


def correlation(x, y):
    """Pearson's r of two equally long sequences; None when either does not vary."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def failure_groups(outcomes):
    """[FailureGroup] of the outcomes that did not pass, most common first (ties: by message)."""
    groups = collections.defaultdict(list)
    for learner, outcome in outcomes:
        groups[what_it_says(outcome.message or outcome.status, outcome.part, outcome.exercise)].append(
            (learner, outcome.message or outcome.status))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [FailureGroup(said, [name for name, _ in members], members[0][1]) for said, members in ordered]


def check_statistics(graded):
    """[CheckStatistics] of every check, in grading order."""
    learners = [learner for learner in graded.learners if learner.graded]
    totals = {learner.name: learner.points() for learner in learners}
    found = []
    for info in graded.checks:
        mine = [(learner.name, o) for learner in learners for o in learner.outcomes
                if (o.part, o.check) == (info.part, info.check)]
        points = [o.score for _, o in mine]
        failed = failure_groups([(name, o) for name, o in mine if o.status != "passed"])
        seconds = [o.seconds for _, o in mine if o.seconds is not None]
        found.append(CheckStatistics(
            part=info.part, exercise=info.exercise, check=info.check, max_score=info.max_score,
            graded=len(mine), passed=sum(o.status == "passed" for _, o in mine),
            mean_points=statistics.fmean(points) if points else None,
            discrimination=correlation(points, [totals[name] - o.score for name, o in mine]),
            failures=failed[:FAILURE_GROUPS_SHOWN], failure_kinds=len(failed),
            median_seconds=statistics.median(seconds) if seconds else None,
            worst_seconds=max(seconds) if seconds else None))
    return found


def learner_rows(graded):
    """[LearnerRow], by name."""
    rows = []
    for learner in sorted(graded.learners, key=lambda learner: learner.name):
        rows.append(LearnerRow(
            name=learner.name,
            by_part={p: learner.points(p) if p in learner.submitted else None for p in graded.parts},
            total=learner.points() if learner.graded else None, possible=graded.max_points(),
            problems=learner.problems,
            lost=[f"part {o.part} / {o.check}" for o in learner.outcomes if o.status != "passed"]))
    return rows


def part_resources(graded):
    """{part: {"median_seconds", "worst_seconds", "median_mb", "worst_mb"}}; None where unrecorded."""
    found = {}
    for part in graded.parts:
        seconds = [learner.seconds[part] for learner in graded.learners if part in learner.seconds]
        memory = [learner.memory_mb[part] for learner in graded.learners if part in learner.memory_mb]
        found[part] = {"median_seconds": statistics.median(seconds) if seconds else None,
                       "worst_seconds": max(seconds) if seconds else None,
                       "median_mb": statistics.median(memory) if memory else None,
                       "worst_mb": max(memory) if memory else None}
    return found


def measured_series(graded):
    """[MeasuredSeries], one per quantity a check measured, in grading order. A check that measures
    one quantity several times (two fits) gives a value per measurement."""
    series = {}
    for learner in graded.learners:
        for o in learner.outcomes:
            for m in o.measured:
                label = m["what"].split(": ", 1)[-1]
                key = (o.part, o.check, label)
                if key not in series:
                    series[key] = MeasuredSeries(o.part, o.check, label, float(m["threshold"]),
                                                 bool(m.get("at_most")), [])
                series[key].values.append((learner.name, float(m["value"])))
    order = {(c.part, c.check): i for i, c in enumerate(graded.checks)}
    return sorted(series.values(), key=lambda s: order.get((s.part, s.check), len(order)))


def summary_lines(graded, checks, rows):
    """The few lines the terminal shows: the class, the hardest checks, the most common failure."""
    totals = [row.total for row in rows if row.total is not None]
    possible = graded.max_points()
    lines = [f"Class of {len(rows)} learners ({graded.source}), {len(totals)} graded: "
             + (f"median {statistics.median(totals):g}/{possible:g}, mean {statistics.fmean(totals):.1f}"
                if totals else "no scores")]
    hardest = sorted((c for c in checks if c.graded), key=lambda c: (c.pass_rate, c.part))[:3]
    if hardest:
        lines.append("Hardest checks: " + "; ".join(
            f"part {c.part} / {c.check} ({c.passed}/{c.graded} passed)" for c in hardest))
    common = max((c for c in checks if c.failures), key=lambda c: len(c.failures[0].learners), default=None)
    if common:
        group = common.failures[0]
        lines.append(f"Most common failure: part {common.part} / {common.check}, {len(group.learners)} "
                     f"learner{'s' if len(group.learners) != 1 else ''}: {shorten(group.said, 110)}")
    flagged = [row for row in rows if row.problems]
    lines.append(f"Learners with a problem: {len(flagged)}"
                 + (" (" + ", ".join(row.name for row in flagged[:8]) + (", ..." if len(flagged) > 8 else "") + ")"
                    if flagged else ""))
    return lines


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"
