"""One part's grading, from the parent: its checks graded in fresh processes after each crash,
its results so far, and what its processes printed.

Runs in the parent. A child that the machinery lost (the kernel's out-of-memory killer, a dead
fork server) is not the learner's doing: the part stops and is graded again once the other parts
are done, alone; a check lost a second time is a grading failure, reported as such.
"""

import time

from autograder.checkkit import limits
from autograder.execute.process import SANDBOX_REFUSED
from autograder.feedback import hints, problems, terminal
from autograder.supervise.child import Child, Lost, check_seconds, describe_death, import_seconds

CHILD_STATUSES = {"passed", "failed", "not attempted", "error"}  # what a grading process may report


class OutputLog:
    """What a part's grading processes printed: kept up to a cap, then only counted."""

    def __init__(self, path, cap):
        self.path, self.cap, self.kept, self.dropped = path, cap, 0, 0
        path.unlink(missing_ok=True)  # an earlier run's

    def write(self, data):
        room = self.cap - self.kept
        if room > 0:
            with open(self.path, "ab") as log:
                log.write(data[:room])
            self.kept += min(room, len(data))
        self.dropped += max(0, len(data) - room)

    def close(self):
        if self.dropped:
            with open(self.path, "ab") as log:
                log.write(f"\n... {size(self.dropped)} more output not shown\n".encode())


def size(count):
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if count >= scale:
            return f"{count / scale:.0f} {unit}"
    return f"{count} bytes"


class PartGrading:
    """One part's grading: its results so far and the processes that produced them."""

    def __init__(self, part, submission, reports_dir, check_timeout=None, reporter=terminal.Quiet(),
                 sandbox_policy="warn"):
        self.part, self.submission, self.check_timeout = part, submission, check_timeout
        self.reports_dir, self.sandbox_policy = reports_dir, sandbox_policy
        self.reporter = reporter  # hears each check start, say what it does, and finish
        self.output = OutputLog(reports_dir / f"part{part}_output.txt", limits.OUTPUT_KEPT_BYTES)
        self.timeouts = {}  # check name -> seconds, from the child's list (this process never imports TF)
        self.collected, self.finished, self.losses = None, {}, {}
        self.deferred = False  # the machinery lost a process: grade the rest again, alone
        self.problem = None  # the grader could not start
        self.failure = None  # why some check could not be graded, if one could not
        self.skip_cells, self.cell_notes = set(), []  # a notebook's cells that stopped a process
        self.notes = []  # what running a notebook's cells cost, by cell (the latest process's)
        self.stats = {"part": part, "processes": 0, "peak_rss_mb": 0.0, "seconds": 0.0, "regraded_alone": False,
                      "sandbox": None,  # what the grading processes' sandbox held (sandbox.py)
                      "kept": 0}  # checks whose outcome was kept from an earlier grading (--store)

    @property
    def results(self):
        return [self.finished[c["name"]] for c in self.collected or [] if c["name"] in self.finished]

    def reuse(self, checks, kept):
        """Take `kept` ({check: result}, each marked "cached") as finished: the grading process
        skips them. `checks`: the collected records of the last grading, which lists them all."""
        self.adopt(checks)
        for name, result in kept.items():
            self.finish(result)
        self.stats["kept"] = len(kept)

    def forget_kept(self):
        """Grade again the checks taken from the store: the learner's file no longer imports."""
        for name in [n for n, r in self.finished.items() if r.get("cached")]:
            del self.finished[name]
        self.stats["kept"] = 0

    def adopt(self, checks):
        """The grading process's list of checks (its "collected" record), merged into ours."""
        known = {c["name"] for c in self.collected or []}
        self.collected = (self.collected or []) + [c for c in checks if c["name"] not in known]
        self.timeouts.update((c["name"], c["timeout"]) for c in checks)

    def grade(self, alone):
        """Grade the checks not finished yet, in a fresh process after each crash. Unless `alone`,
        stop at the first process the machinery lost: main() grades the part again, alone."""
        if self.collected is not None and all(c["name"] in self.finished for c in self.collected):
            return self  # every check kept from an earlier grading: no process at all
        begin = time.monotonic()
        self.stats["regraded_alone"] |= self.deferred
        self.deferred = False
        try:
            while self.grade_in_one_process(begin + limits.PART_SECONDS, alone):
                pass
        finally:
            self.stats["seconds"] = round(self.stats["seconds"] + time.monotonic() - begin, 2)
        return self

    def grade_in_one_process(self, part_deadline, alone):
        """Grade what is left in one process; True when a fresh process should go on."""
        running, importing, killed, lost, cell = None, False, False, None, None
        try:
            child = Child(self.part, self.submission, set(self.finished), self.output, self.check_timeout,
                          self.sandbox_policy, self.skip_cells)
        except (EOFError, OSError) as error:
            child, lost = None, Lost(f"the grader's fork server could not start ({type(error).__name__})")
        if child is not None:
            self.stats["processes"] += 1
            try:
                for record in child.records(self.timeouts, part_deadline):
                    event = record["event"]
                    if event == "collected":
                        self.stats["sandbox"] = str(record.get("sandbox"))
                        self.adopt(record["checks"])
                    elif event in ("importing", "imported"):
                        importing, cell = event == "importing", None
                        if importing:
                            self.reporter.importing(self.part, import_seconds(self.check_timeout))
                        elif isinstance(record.get("notes"), list):  # a notebook's, by cell
                            self.notes = self.cell_notes + [str(note) for note in record["notes"]]
                    elif event == "cell" and importing:
                        cell = record
                        self.reporter.importing(self.part, float(record["seconds"]),
                                                f"running {record.get('label')}")
                    elif event == "started" and record.get("name") in self.timeouts:
                        running = record["name"]
                        self.reporter.started(self.part, self.check(running),
                                              check_seconds(self.timeouts, running, self.check_timeout))
                    elif event == "progress":
                        self.reporter.phase(self.part, record)
                    elif event == "result" and valid(record, self.timeouts):
                        result = {k: v for k, v in record.items() if k != "event"}
                        self.finish(child.claim_files(result, self.reports_dir))
                        running = None
                    elif event == "killed":
                        killed = True
                    elif event == "finished":
                        self.stats["peak_rss_mb"] = max(self.stats["peak_rss_mb"], record["peak_rss_mb"])
            finally:
                child.close()
            lost = None if killed else child.lost()
        left = [c for c in self.collected or [] if c["name"] not in self.finished]
        if self.collected is not None and not left:
            return False
        if lost is not None:
            return self.after_loss(lost, running, importing, left, alone)
        returncode = None if killed else child.process.exitcode
        if cell is not None and importing and time.monotonic() < part_deadline:
            return self.skip_cell(cell, describe_death(returncode))
        if self.collected is None:
            self.problem = (tail(self.output.path).strip().splitlines() or [""])[-1] if returncode == SANDBOX_REFUSED \
                else f"part {self.part}: the grader could not start (exit {returncode}):\n{tail(self.output.path)}"
            return False
        cause = describe_death(returncode)
        if killed and time.monotonic() >= part_deadline:
            cause = f"part {self.part} ran past its {limits.PART_SECONDS} s limit"
        if running is not None and not importing and time.monotonic() < part_deadline:
            check = self.check(running)
            what = f"{cause} while running this check"
            if killed:
                what = hints.timeout_message(self.part, [check["exercise"]],
                                             check_seconds(self.timeouts, running, self.check_timeout))
            self.fail(check, what, problems.kind_of_death(returncode))
            return True  # a fresh child for the checks that are left
        where = "while importing your file" if importing else "before this check ran"
        for check in left:
            self.fail(check, f"{cause} {where}", problems.kind_of_death(returncode))
        return False

    def after_loss(self, lost, running, importing, left, alone):
        """The machinery lost the process: once, grade it again alone; twice, a grading failure."""
        place = running if running and not importing else "import" if importing else "start"
        self.losses[place] = self.losses.get(place, 0) + 1
        if not alone:
            self.deferred = True
            return False
        if self.losses[place] == 1:
            self.stats["regraded_alone"] = True
            return True
        if self.collected is None:
            self.problem = f"part {self.part}: the grader could not start: {lost.cause}"
            return False
        where = "while running this check" if place == running else (
            "while importing your file" if importing else "before this check ran")
        failed = [self.check(running)] if place == running else left
        for check in failed:
            if lost.certain:
                self.failure = lost.cause
                self.fail(check, f"not graded: {lost.cause} {where}, twice, the second time with no "
                          "other part beside it. A grading failure, not a mistake in your code: "
                          "tell your instructor", "grading failure", status="grading failure")
            else:
                self.fail(check, f"{lost.cause} {where}, twice, the second time alone", "crash")
        return place == running

    def skip_cell(self, cell, cause):
        """A notebook's cell stopped its grading process (a hang no alarm reaches, os._exit, a
        crash): grade again in a fresh one, which runs that cell's definitions only."""
        if cell.get("index") in self.skip_cells or not isinstance(cell.get("index"), int):
            return False
        self.skip_cells.add(cell["index"])
        label = str(cell.get("label"))
        self.cell_notes.append(f"{label[:1].upper()}{label[1:]} stopped its grading process ({cause}): "
                               "what it defines still counts; its other statements did not run when grading.")
        return True

    def check(self, name):
        return next(c for c in self.collected if c["name"] == name)

    def fail(self, check, what, problem, status="error"):
        self.finish(dict(check, status=status, score=0, problem=problem,
                         message=f"part {self.part}, {check['exercise']}: {what.removesuffix('.')}."))

    def finish(self, result):
        self.finished[result["name"]] = result
        self.reporter.finished(self.part, result)


def valid(record, timeouts):
    """A result the plugin could have sent: a known check, all or nothing of its points."""
    return (record.get("name") in timeouts and record.get("status") in CHILD_STATUSES
            and record.get("score") in (0, record.get("max_score")))


def tail(path):
    data = path.read_bytes()[-4000:] if path.exists() else b""
    return data.decode(errors="replace")
