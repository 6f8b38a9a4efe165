"""What `make grade` prints while it grades: each check's line as soon as it is graded, and on a
terminal a live line for what is taking a while.

Runs in the parent (supervise/), which hears each part's events from the grading processes: a
check started, said what it is doing (checkkit/progress.phase), finished. The reporter prints:

      part 1  PASS   2/2  standardize: standardize_matches_numpy (0.0 s)
      part 1  FAIL   0/2  make_collatz_steps: collatz_steps_known_values (15.0 s)
      part 1  PASS   2/2  cubic_gradients: cubic_gradients_known_values (kept)
    part 1, train_model: training a model with your train_model (10 epochs)... 3 s (stops at 21 s)
                                                               (the live line, on a terminal only)

The finished lines are plain text, without control characters when stdout is not a terminal
(logs, CI, Gradescope, pipes). On a terminal, rich's Live display redraws the live lines below
them (one per part whose check has run LIVE_AFTER_SECONDS or more), at most twice a second, and
fits each to the terminal's width by shortening its phase, never its seconds and limit.
`Quiet` prints nothing (the default of part_grading.PartGrading: a caller that prints chooses to).
"""

import re
import sys
import threading
import time

from rich.console import Console, Group
from rich.live import Live
from rich.text import Text

from autograder.feedback.report import STATUS_LABEL, format_points

LIVE_AFTER_SECONDS = 2.0  # a check quicker than this never shows on the live line
REFRESHES_PER_SECOND = 2  # the live line's redraws: at most twice a second
LONGEST_PHASE = 80  # characters of a phase's text that are kept

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
    """"part 1  PASS   2/2  standardize: standardize_matches_numpy (0.0 s)", or "(kept)" for an
    outcome kept from an earlier grading of the same code."""
    points = f"{format_points(result['score'])}/{format_points(result['max_score'])}"
    line = f"part {part}  {STATUS_LABEL[result['status']]} {points:>5}  {result['exercise']}: {result['name']}"
    if result.get("cached"):
        return line + " (kept)"
    return line + (f" ({seconds:.1f} s)" if seconds is not None else "")


class Quiet:
    """A reporter that says nothing; Reporter prints."""

    def importing(self, part, budget, what="importing your file"):
        """`part` started importing the learner's file (or running a notebook's cell: `what`);
        it is stopped after `budget` seconds."""

    def started(self, part, check, budget):
        """`part` started `check` (a collected record: name, exercise); `budget`: its seconds."""

    def phase(self, part, record):
        """The running check of `part` sent a progress record."""

    def finished(self, part, result):
        """`part` has a result for one check (any status, from the child or from the parent)."""

    def close(self):
        """Grading is over: the live lines give way to what is printed next."""


class Activity:
    """What one part is doing now (importing, or running the check `name`), since `begin`."""

    def __init__(self, where, what, budget, name=None):
        self.where, self.what, self.budget, self.name = where, what, budget, name
        self.phase = None  # what the check last said it is doing
        self.begin = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.begin

    def __rich_console__(self, console, options):
        """The live line, fitted to the terminal: what it does, shortened to the width that its
        seconds and limit leave (those are never cut)."""
        clock = f"... {self.elapsed():.0f} s (stops at {self.budget:g} s)"
        what = Text(f"{self.where}: {self.phase or self.what}")
        what.truncate(max(1, options.max_width - len(clock)), overflow="ellipsis")
        yield what + clock


class Reporter(Quiet):
    """Each finished check's line as it finishes; on a terminal, live lines below them."""

    def __init__(self, stream=None, terminal=None, width=None):
        """`terminal`: None to ask the stream (rich's test), or True / False to say."""
        self.console = Console(file=stream or sys.stdout, force_terminal=terminal, width=width,
                               force_jupyter=False, highlight=False, markup=False, emoji=False,
                               soft_wrap=True)  # a finished line is never wrapped nor cut
        self.lock = threading.Lock()  # parts are graded side by side, in threads
        self.activities = {}  # part -> Activity
        self.live = None
        if self.console.is_terminal:
            self.live = Live(get_renderable=self.live_lines, console=self.console, transient=True,
                             refresh_per_second=REFRESHES_PER_SECOND, redirect_stdout=False,
                             redirect_stderr=False)
            self.live.start()

    def live_lines(self):
        with self.lock:
            slow = [a for _, a in sorted(self.activities.items()) if a.elapsed() >= LIVE_AFTER_SECONDS]
        return Group(*slow)

    def importing(self, part, budget, what="importing your file"):
        with self.lock:
            self.activities[part] = Activity(f"part {part}", what, budget)

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
        """Print one line above the live lines. A closed stdout (`make grade | head`) must not stop
        the grading, whose report is written whatever happens to the terminal."""
        try:
            self.console.print(Text(f"  {line}"))
        except (OSError, ValueError):
            self.console.file = open("/dev/null", "w")  # noqa: SIM115 (kept for the run's end)

    def close(self):
        if self.live is not None:
            try:
                self.live.stop()  # transient: the live lines are erased
            except (OSError, ValueError):
                pass
            self.live = None


def reporter_for(stream):
    """The reporter `make grade` uses: live lines on a terminal, plain lines anywhere else."""
    return Reporter(stream)
