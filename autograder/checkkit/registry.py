"""The list of graded checks: each is defined once, with its points, and used everywhere.

`make grade` (through pytest) and the notebooks' test cells both call the functions registered
here, so a check's code, points and visibility cannot drift apart between the two.

    @check(points=2, exercise="standardize")
    def check_standardize_matches_numpy(standardize):
        '''Check that standardize(x, axis) equals NumPy's along every axis.'''

The parameter names say which objects of the learner's module (or notebook) the check receives.
Its time limit comes from its measured time on the reference (budgets.py); `timeout=` caps it.
"""

import dataclasses
import inspect
import pathlib
import re

from autograder.checkkit import budgets

PARTS = {1: "part1_tf2_basics", 2: "part2_cnn", 3: "part3_transfer"}

_CHECKS = {}  # part number -> [Check, ...] in definition order


@dataclasses.dataclass(frozen=True)
class Check:
    part: int
    exercise: str
    function: object
    points: float
    hidden: bool
    timeout: float  # seconds: its budget (budgets.py)

    @property
    def name(self):
        return self.function.__name__.removeprefix("check_")

    @property
    def wants(self):
        """The names of the learner's objects this check takes, in order."""
        return list(inspect.signature(self.function).parameters)

    @property
    def summary(self):
        return (inspect.getdoc(self.function) or "").splitlines()[0]


def check(points, exercise, hidden=False, timeout=None):
    """Register a graded check of `exercise` worth `points` (hidden: absent from releases;
    timeout: an upper bound on its budget, in seconds)."""
    if not isinstance(points, (int, float)) or points <= 0:
        raise ValueError(f"@check(points={points!r}): points must be a positive number")

    def register(function):
        module = function.__module__
        match = re.search(r"part(\d)$", module)
        if not match:
            raise ValueError(f"{module}.{function.__name__}: checks live in autograder/checks/partN.py")
        part = int(match.group(1))
        if not function.__name__.startswith("check_"):
            raise ValueError(f"{function.__name__}: a check's name starts with 'check_'")
        seconds = budgets.budget(part, function.__name__.removeprefix("check_"), hidden, cap=timeout)
        _CHECKS.setdefault(part, []).append(Check(part, exercise, function, points, hidden, seconds))
        return function

    return register


def registered(part):
    """The checks of `part` registered so far (autograder.checks.checks_for loads them first)."""
    return list(_CHECKS.get(part, []))


def course_parts():
    """The parts the course grades: those with a checks module (read from the files, nothing
    imported: the parent that supervises grading never imports TensorFlow)."""
    checks = pathlib.Path(__file__).resolve().parent.parent / "checks"
    return [p for p in PARTS if (checks / f"part{p}.py").exists()]
