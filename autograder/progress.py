"""Progress while grading: each check's line as soon as it is graded, and on a terminal a live
line saying what is taking a while.

Two sides, joined by the pipe of records between a grading process and `make grade` (run.py):

- In a grading process, a check may say what it is doing: `phase("training your CNN", 1, 2)`.
  The plugin sends it as a "progress" record; anywhere else (a notebook cell, the repository's
  tests) nobody listens and it costs nothing.
- In the parent, a reporter hears each part's events and prints:

      Plain   one line per finished check, as it finishes, with no control characters: for logs,
              CI, Gradescope, pipes (what `make grade` prints when stdout is not a terminal)
      Live    the same lines, and below them one status line redrawn in place, at most twice a
              second, naming what has run for LIVE_AFTER_SECONDS or more: the part, the exercise,
              its phase, the seconds so far and where its budget stops it
      Quiet   nothing (the default of run.PartGrading: a caller that prints chooses to)

      part 1  PASS   2/2  standardize: standardize_matches_numpy (0.0 s)
      part 1  FAIL   0/2  make_collatz_steps: collatz_steps_known_values (15.0 s)
    part 1, train_model: training a model with your train_model (10 epochs)... 3 s (stops at 21 s)
                                                               (the live line, on a terminal only)
"""

import re
import shutil
import sys
import threading
import time

from autograder.report import STATUS_LABEL, format_points

LIVE_AFTER_SECONDS = 2.0  # a check quicker than this never shows on the live line
REDRAW_SECONDS = 0.5  # the live line's refresh: at most twice a second
LONGEST_PHASE = 80  # characters of a phase's text that are shown

# ---------------------------------------------------------------- in a grading process
_LISTENERS = []  # the plugin's sender, added before any learner code runs; mutated in place,
# never rebound (the tamper guard reports a rebound global of the grader's modules)


def phase(what, step=None, total=None):
    """Say what the running check is doing now, for the live line: phase("training your CNN")."""
    counted = type(step) is int and type(total) is int
    for listener in _LISTENERS:
        listener({"what": str(what), "step": step if counted else None, "total": total if counted else None})


# ---------------------------------------------------------------- in the parent
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x1f\x7f-\x9f]")  # escape sequences whole


def describe_phase(record):
    """"training your CNN, 1/2" from a progress record. A learner's code can call phase() too,
    so the text is cut short and stripped of control characters (it reaches the terminal)."""
    what = CONTROL.sub("", str(record.get("what", "")))[:LONGEST_PHASE]
    step, total = record.get("step"), record.get("total")
    if type(step) is int and type(total) is int:
        what += f", {step}/{total}"
    return what


def finished_line(part, result, seconds):
    """"part 1  PASS   2/2  standardize: standardize_matches_numpy (0.0 s)"."""
    points = f"{format_points(result['score'])}/{format_points(result['max_score'])}"
    line = f"part {part}  {STATUS_LABEL[result['status']]} {points:>5}  {result['exercise']}: {result['name']}"
    return line + (f" ({seconds:.1f} s)" if seconds is not None else "")


class Quiet:
    """A reporter that says nothing; Plain and Live print."""

    def importing(self, part, budget):
        """`part` started importing the learner's file; it is stopped after `budget` seconds."""

    def started(self, part, check, budget):
        """`part` started `check` (a collected record: name, exercise); `budget`: its seconds."""

    def phase(self, part, record):
        """The running check of `part` sent a progress record."""

    def finished(self, part, result):
        """`part` has a result for one check (any status, from the child or from run.py)."""

    def close(self):
        """Grading is over: leave the terminal as a plain line ends."""


class Activity:
    """What one part is doing now (importing, or running the check `name`), since `begin`."""

    def __init__(self, where, what, budget, name=None):
        self.where, self.what, self.budget, self.name = where, what, budget, name
        self.phase = None  # what the check last said it is doing
        self.begin = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.begin

    def describe(self):
        return (f"{self.where}: {self.phase or self.what}... {self.elapsed():.0f} s "
                f"(stops at {self.budget:g} s)")


class Plain(Quiet):
    """One line per finished check, as it finishes; nothing in between."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.lock = threading.Lock()  # parts are graded side by side, in threads
        self.activities = {}  # part -> Activity

    def importing(self, part, budget):
        with self.lock:
            self.activities[part] = Activity(f"part {part}", "importing your file", budget)

    def started(self, part, check, budget):
        with self.lock:
            self.activities[part] = Activity(f"part {part}, {check['exercise']}", check["name"],
                                             budget, check["name"])

    def phase(self, part, record):
        with self.lock:
            activity = self.activities.get(part)
            if activity is not None and activity.name is not None:
                activity.phase = describe_phase(record)

    def finished(self, part, result):
        with self.lock:
            activity = self.activities.get(part)
            seconds = None
            if activity is not None and activity.name == result["name"]:
                seconds = activity.elapsed()
                del self.activities[part]
            self.write_line(finished_line(part, result, seconds))

    def write_line(self, line):
        self.write(f"  {line}\n")

    def write(self, text):
        """Write and flush; a closed stdout (`make grade | head`) must not stop the grading,
        whose report is written whatever happens to the terminal."""
        if self.stream is None:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.stream = None


class Live(Plain):
    """Plain's lines, and one status line under them, redrawn in place by a thread of its own."""

    def __init__(self, stream=None):
        super().__init__(stream)
        self.shown = ""  # the status line on the screen now, if any
        self.stopped = threading.Event()
        self.ticker = threading.Thread(target=self.tick, name="progress", daemon=True)
        self.ticker.start()

    def tick(self):
        while not self.stopped.wait(REDRAW_SECONDS):
            with self.lock:
                self.redraw()

    def status(self):
        slow = [a for _, a in sorted(self.activities.items()) if a.elapsed() >= LIVE_AFTER_SECONDS]
        return " | ".join(a.describe() for a in slow)

    def redraw(self):
        width = shutil.get_terminal_size().columns - 1  # a line that wraps cannot be redrawn
        text = self.status()[:width]
        if text != self.shown:
            self.write("\r\x1b[K" + text)
            self.shown = text

    def write_line(self, line):
        if self.shown:
            self.write("\r\x1b[K")  # the finished line takes the status line's place
            self.shown = ""
        super().write_line(line)

    def close(self):
        self.stopped.set()
        self.ticker.join()
        with self.lock:
            if self.shown:
                self.write("\r\x1b[K")
                self.shown = ""


def reporter_for(stream):
    """Live on a terminal, Plain anywhere else (a pipe, a file, CI's log)."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return Live(stream) if terminal else Plain(stream)
