"""The pytest plugin that grades: markers, options, one test per registered check, the report.

    python -m pytest -p autograder.plugin autograder/test_checks.py --part 1 --submission exercises

Each check runs after `reset_state()` (seeds, eager switch), under a wall-clock alarm, with the
learner's objects fetched by name from their imported file. Every outcome becomes a result
record (see report.py); `--results-jsonl` streams them, so that the parent process in run.py
still knows which check was running if this process dies.
"""

import json
import pathlib
import time

import pytest

from autograder import environment, grading, registry, report, submission

POINTS_HELP = "points(n): the check is worth n points (a positive number)"
HIDDEN_HELP = "hidden: the check is left out of releases and shown after grades are published"


def pytest_addoption(parser):
    group = parser.getgroup("autograder")
    group.addoption("--submission", default="exercises", help="folder or file with partN_*.py")
    group.addoption("--part", action="append", type=int, default=[], help="part to grade (repeat)")
    group.addoption("--results-jsonl", default=None, help="stream one JSON record per event")
    group.addoption("--results-json", default=None, help="write Gradescope's results.json here")


def pytest_configure(config):
    config.addinivalue_line("markers", POINTS_HELP)
    config.addinivalue_line("markers", HIDDEN_HELP)
    config._autograder = GradingSession(config)
    config.pluginmanager.register(config._autograder, "autograder-session")


def pytest_generate_tests(metafunc):
    if "graded_check" not in metafunc.fixturenames:
        return
    session = metafunc.config._autograder
    params = []
    for part in session.parts:
        for graded in registry.checks_for(part):
            marks = [pytest.mark.points(graded.points)]
            if graded.hidden:
                marks.append(pytest.mark.hidden)
            params.append(pytest.param(graded, id=f"part{part}-{graded.name}", marks=marks))
    metafunc.parametrize("graded_check", params)


@pytest.fixture
def grade(request):
    """Run one check against the learner's submission and record the outcome."""
    return request.config._autograder.grade


class GradingSession:
    def __init__(self, config):
        self.submission = config.getoption("submission")
        self.parts = config.getoption("part") or submission.parts_in(self.submission)
        self.jsonl_path = config.getoption("results_jsonl")
        self.json_path = config.getoption("results_json")
        self.results = []
        self.modules = {}  # part -> module or SubmissionError
        self.started = time.monotonic()
        self.tf = environment.quiet_tensorflow()
        self.emit({"event": "collected", "checks": [self.describe(c, 0, "error", "") for p in self.parts for c in registry.checks_for(p)]})

    def emit(self, record):
        if self.jsonl_path:
            with open(self.jsonl_path, "a") as stream:
                stream.write(json.dumps(record) + "\n")

    @staticmethod
    def describe(graded, score, status, message, duration=0.0):
        return {
            "part": graded.part, "name": graded.name, "exercise": graded.exercise,
            "summary": graded.summary, "score": score, "max_score": graded.points,
            "hidden": graded.hidden, "status": status, "message": message,
            "duration": round(duration, 3),
        }

    def module_for(self, part):
        if part not in self.modules:
            path = submission.find_part_file(self.submission, part)
            if path is None:
                self.modules[part] = submission.SubmissionError(
                    f"no file for part {part} in {self.submission} "
                    f"(expected {registry.PARTS[part]}.py)")
            else:
                try:
                    self.modules[part] = submission.import_part(path, part)
                except submission.SubmissionError as error:
                    self.modules[part] = error
        return self.modules[part]

    def grade(self, graded):
        __tracebackhide__ = True
        self.emit({"event": "started", "part": graded.part, "name": graded.name})
        begin = time.monotonic()
        status, message = self.run(graded)
        score = graded.points if status == "passed" else 0
        prefix = f"part {graded.part}, {graded.exercise}: "
        result = self.describe(graded, score, status, prefix + message if message else "",
                               time.monotonic() - begin)
        self.results.append(result)
        self.emit({"event": "result", **result})
        if status != "passed":
            pytest.fail(result["message"], pytrace=False)

    def run(self, graded):
        module = self.module_for(graded.part)
        if isinstance(module, submission.SubmissionError):
            return "error", str(module)
        return grading.run_check(graded, module)

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter):
        if self.results:
            terminalreporter.write_sep("=", "autograder")
            terminalreporter.write_line(report.format_table(self.results))
        if self.json_path:
            report.write_results(pathlib.Path(self.json_path), self.results,
                                 time.monotonic() - self.started)
