"""The pytest plugin that grades: markers, options, one test per registered check, the report.

    python -m pytest -p autograder.execute.plugin autograder/execute/test_checks.py --part 1 --submission exercises

Runs in the grading process. Each check runs after `reset_state()` (seeds, eager switch), under a
wall-clock alarm (check_runner.py), with the learner's objects fetched by name from their imported
file (learner_module.py). Every outcome becomes a result record (see feedback/report.py), and what
a check says it is doing (checkkit/progress.phase) a progress record. Under `make grade`, records
stream through an inherited pipe (`--results-fd`), each stamped with a nonce that the parent gave
this process and that learner code never sees, so the parent knows which check was running if
this process dies and ignores records it did not send.
"""

import json
import os
import pathlib
import resource
import socket
import time

import pytest

from autograder.checkkit import artifacts, environment, limits, progress, registry, verdict
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module, tamper_guard
from autograder.feedback import report
from autograder.intake import choose, from_notebook

POINTS_HELP = "points(n): the check is worth n points (a positive number)"
HIDDEN_HELP = "hidden: the check is left out of releases and shown after grades are published"



def pytest_addoption(parser):
    group = parser.getgroup("autograder")
    group.addoption("--submission", default="exercises", help="folder or file with partN_*.py")
    group.addoption("--part", action="append", type=int, default=[], help="part to grade (repeat)")
    group.addoption("--skip-check", action="append", default=[], help="check name not to run (repeat)")
    group.addoption("--skip-cell", action="append", type=int, default=[],
                    help="a notebook's cell that ran past its time before: its definitions only (repeat)")
    group.addoption("--check-timeout", type=float, default=None, help="cap on every check's seconds")
    group.addoption("--results-fd", type=int, default=None, help="stream JSON records to this fd")
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
    for graded in session.checks:
        marks = [pytest.mark.points(graded.points)]
        if graded.hidden:
            marks.append(pytest.mark.hidden)
        params.append(pytest.param(graded, id=f"part{graded.part}-{graded.name}", marks=marks))
    metafunc.parametrize("graded_check", params)


@pytest.fixture
def grade(request):
    """Run one check against the learner's submission and record the outcome."""
    return request.config._autograder.grade


def refuse_network(*args, **kwargs):
    raise OSError("network access is disabled while grading (the course works offline)")


class GradingSession:
    def __init__(self, config):
        self.submission = config.getoption("submission")
        parts = config.getoption("part") or choose.parts_in(self.submission)
        skip = set(config.getoption("skip_check"))
        self.check_timeout = config.getoption("check_timeout")
        self.fd = config.getoption("results_fd")
        self.nonce = os.environ.pop("AUTOGRADER_NONCE", "")
        self.sandbox = os.environ.pop("AUTOGRADER_SANDBOX", "none (not graded by `python -m autograder`)")
        self.json_path = config.getoption("results_json")
        self.results = []
        self.modules = {}  # part -> module or learner_module.SubmissionError
        self.guard = None
        self.started = time.monotonic()
        self.tf = environment.quiet_tensorflow()
        self.checks = [c for p in parts for c in checks_for(p) if c.name not in skip]
        self.skip_cells = set(config.getoption("skip_cell"))
        self.emit({"event": "collected", "sandbox": self.sandbox,
                   "checks": [self.describe(c, 0, "error", "") for c in self.checks]})
        progress._LISTENERS.append(lambda phase: self.emit({"event": "progress", **phase}))  # before
        # the tamper guard's snapshot: the list is then only read

    def emit(self, record):
        if self.fd is not None:
            os.write(self.fd, (json.dumps(dict(record, nonce=self.nonce)) + "\n").encode())

    @staticmethod
    def describe(graded, score, status, message, duration=0.0):
        return {
            "part": graded.part, "name": graded.name, "exercise": graded.exercise,
            "summary": graded.summary, "score": score, "max_score": graded.points,
            "hidden": graded.hidden, "timeout": graded.timeout, "status": status,
            "message": message, "duration": round(duration, 3),
        }

    def module_for(self, part):
        if part not in self.modules:
            if self.guard is None:  # before any learner code runs
                self.guard = tamper_guard.Guard()
                socket.socket.connect = socket.create_connection = refuse_network
                socket.getaddrinfo = refuse_network
            self.modules[part] = self.import_learner_file(part)
        return self.modules[part]

    def import_learner_file(self, part):
        path = choose.find_part_file(self.submission, part)
        if path is None:
            return learner_module.SubmissionError(
                f"no file for part {part} in {self.submission} (expected {registry.PARTS[part]}.py)")
        self.emit({"event": "importing", "part": part})
        cells = from_notebook.read_cells(path)
        if cells is not None:  # a notebook: its cells have budgets of their own
            return self.run_notebook(path, part, cells)
        seconds = min(limits.IMPORT_SECONDS, self.check_timeout or limits.IMPORT_SECONDS)
        timer = check_runner.Alarm(seconds)
        try:
            with timer:
                module = learner_module.import_part(path, part)
        except (check_runner.CheckTimeout, learner_module.SubmissionError) as error:
            if isinstance(error, learner_module.SubmissionError) and not timer.fired:
                return error  # else a timeout, whatever TensorFlow turned it into (check_runner.Alarm)
            return learner_module.SubmissionError(
                f"importing your file timed out after {seconds:g} s: is there an endless "
                "loop or a long training run outside the functions?")
        finally:
            tampered = self.guard.restore()
        self.emit({"event": "imported", "part": part})
        if tampered:
            return learner_module.SubmissionError(
                f"your file replaced {', '.join(tampered[:3])}{' and more' if len(tampered) > 3 else ''}"
                " when it was imported; the grader relies on these, so this part scores zero.")
        return module

    def run_notebook(self, path, part, cells):
        """A notebook's module, its cells run as Jupyter runs them; what they cost is told by cell."""
        notes = []
        try:
            module = learner_module.import_notebook(
                path, part, cells, skip_cells=self.skip_cells, notes=notes,
                on_cell=lambda index, label, seconds: self.emit(
                    {"event": "cell", "part": part, "index": index, "label": label, "seconds": seconds}))
        finally:
            tampered = self.guard.restore()
        self.emit({"event": "imported", "part": part, "notes": notes})
        if tampered:
            return learner_module.SubmissionError(
                f"your notebook replaced {', '.join(tampered[:3])}{' and more' if len(tampered) > 3 else ''}"
                " when its cells ran; the grader relies on these, so this part scores zero.")
        return module

    def grade(self, graded):
        __tracebackhide__ = True
        module = self.module_for(graded.part)  # first use: imports, timed on its own
        self.emit({"event": "started", "part": graded.part, "name": graded.name})
        begin = time.monotonic()
        verdict.MEASURED.clear()
        artifacts.REQUESTED.clear()
        status, message = self.run(graded, module)
        score = graded.points if status == "passed" else 0
        prefix = f"part {graded.part}, {graded.exercise}: "
        result = self.describe(graded, score, status, prefix + message if message else "",
                               time.monotonic() - begin)
        result["measured"] = [{"what": what, "value": value, "threshold": threshold, "at_most": at_most}
                              for what, value, threshold, at_most in verdict.MEASURED]
        result["files"] = artifacts.written()  # pictures the check drew for the learner
        self.results.append(result)
        self.emit({"event": "result", **result})
        if status != "passed":
            pytest.fail(result["message"], pytrace=False)

    def run(self, graded, module):
        if isinstance(module, learner_module.SubmissionError):
            return "error", str(module)
        status, message = check_runner.run_check(graded, module, guard=self.guard, timeout=self.check_timeout)
        cells = vars(module).get("__notebook_cells__")
        return status, (from_notebook.located(message, cells) if cells else message)

    def pytest_sessionfinish(self):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
        self.emit({"event": "finished", "peak_rss_mb": round(peak_kb / 1024, 1)})

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter):
        if self.results:
            terminalreporter.write_sep("=", "autograder")
            terminalreporter.write_line(report.format_table(self.results))
        if self.json_path:
            report.write_results(pathlib.Path(self.json_path), self.results,
                                 time.monotonic() - self.started)
