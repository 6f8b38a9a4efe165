"""A graded class as one model, whichever way it was graded: grade-batch's results folder (one
results.json per learner beside grades.csv, read here) or nbgrader's gradebook (nbgrader_gradebook.py; sources.py picks one).
The class report, the LMS export and the leaderboard read only this model, so both sources give
the same report. Instructor-side; imported by classroom/ only. It reads files, never runs them.

    GradedClass(source, learners, checks, notes)
        learners   [Learner(name, outcomes, problems, submitted, seconds, memory_mb, ...)]
        checks     [CheckInfo(part, exercise, check, max_score)] in the order grading reports them
        notes      what this source does not record (nbgrader keeps no grading times)
"""

import csv
import dataclasses
import json
import pathlib

BATCH_RESULTS = pathlib.Path("reports/batch")  # where `make grade-batch` writes
NOT_SUBMITTED = {"no file", "notebook only"}  # grade-batch's problem kinds for a part with no file to grade


@dataclasses.dataclass
class Outcome:
    """One check of one learner, as the grader reported it."""
    part: int
    exercise: str
    check: str
    score: float
    max_score: float
    status: str  # passed, failed, not attempted, error, grading failure
    message: str
    seconds: float | None = None  # None where the source does not record it
    measured: list = dataclasses.field(default_factory=list)  # [{what, value, threshold, at_most}]


@dataclasses.dataclass(frozen=True)
class CheckInfo:
    part: int
    exercise: str
    check: str
    max_score: float


@dataclasses.dataclass
class Learner:
    name: str
    outcomes: list  # [Outcome]; empty when the grader could not grade the learner at all
    problems: list  # short sentences: "part 1: syntax error", "grading failure (...)"
    submitted: set  # the parts the learner handed a file (or notebook) in for
    seconds: dict = dataclasses.field(default_factory=dict)  # {part: seconds its grading took}
    memory_mb: dict = dataclasses.field(default_factory=dict)  # {part: peak RSS of its grading process}
    full_name: str = ""  # where the source knows it (nbgrader's students table)
    email: str = ""

    def points(self, part=None):
        return sum(o.score for o in self.outcomes if part in (None, o.part))

    def possible(self, part=None):
        return sum(o.max_score for o in self.outcomes if part in (None, o.part))

    @property
    def graded(self):
        return bool(self.outcomes)


@dataclasses.dataclass
class GradedClass:
    source: str  # "grade-batch results in reports/batch", "nbgrader gradebook course/gradebook.db"
    learners: list
    checks: list
    notes: list = dataclasses.field(default_factory=list)

    @property
    def parts(self):
        return sorted({c.part for c in self.checks})

    def max_points(self, part=None):
        return sum(c.max_score for c in self.checks if part in (None, c.part))


def checks_in_order(learners):
    """Every check any learner was graded on, by part, in the order the grader reported them."""
    seen = {}
    for learner in learners:
        for o in learner.outcomes:
            seen.setdefault((o.part, o.check), CheckInfo(o.part, o.exercise, o.check, o.max_score))
    return sorted(seen.values(), key=lambda c: c.part)  # stable: grading order within a part


# ---------------------------------------------------------------- grade-batch's results folder
def outcome_of(test):
    """An Outcome from one test of a results.json (report.py's extra_data)."""
    extra = test["extra_data"]
    return Outcome(part=int(extra["part"]), exercise=extra["exercise"], check=extra["check"],
                   score=float(test["score"]), max_score=float(test["max_score"]),
                   status=extra["status"], message=extra.get("message", ""),
                   seconds=extra.get("seconds"), measured=list(extra.get("measured", [])))


def learner_from_results(name, results, problem):
    """A Learner from its results.json (a dict) and its grades.csv `problem` cell."""
    outcomes = [outcome_of(test) for test in results.get("tests", [])]
    extra = results.get("extra_data", {})
    kinds = {int(part): set(found) for part, found in extra.get("problems", {}).items()}
    parts = {o.part for o in outcomes}
    return Learner(name=name, outcomes=outcomes,
                   problems=[p for p in problem.split("; ") if p],
                   submitted={p for p in parts if not kinds.get(p, set()) & NOT_SUBMITTED},
                   seconds={int(p["part"]): float(p["seconds"]) for p in extra.get("parts", [])},
                   memory_mb={int(p["part"]): float(p["peak_rss_mb"]) for p in extra.get("parts", [])
                              if p.get("peak_rss_mb") is not None})


def read_batch(folder=BATCH_RESULTS):
    """The class grade-batch graded into `folder` (its grades.csv lists every learner, graded or not)."""
    folder = pathlib.Path(folder)
    gradebook = folder / "grades.csv"
    if not gradebook.is_file():
        raise FileNotFoundError(f"no {gradebook}: run `make grade-batch SUBMISSIONS=<folder>` first")
    learners = []
    with open(gradebook, newline="") as stream:
        for row in csv.DictReader(stream):
            report = folder / row["learner"] / "results.json"
            try:
                results = json.loads(report.read_text())
            except (OSError, ValueError):  # the grader wrote none: the row says why
                learners.append(Learner(row["learner"], [], [row["problem"] or "not graded"], set()))
                continue
            learners.append(learner_from_results(row["learner"], results, row["problem"]))
    return GradedClass(f"grade-batch results in {folder}", learners, checks_in_order(learners))
