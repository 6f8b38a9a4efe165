"""Where a long batch stands (grade-batch, a cluster, `make autograde`): one line per learner
done, saying how many of how many, how fast, how long is left and how many failed so far.

    [3/40] ada: 70/72 (41.2 s)  ! part 2: timeout  | 2.9 learners/min, about 13 min left, 1 with a problem so far

The lines are plain text off a terminal (logs, CI). On a terminal, rich's progress bar stays
below them with the same counter, rate and time left, redrawn in place, and is erased at the end.
The rate is the whole run's (learners done over the time since the start): a learner takes tens
of seconds, longer than the window of rich's own speed estimate.
"""

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text


class BatchProgress:
    def __init__(self, total, noun="learners", failures="failed", stream=None):
        self.total, self.noun, self.failures = total, noun, failures
        self.done, self.failed, self.begin = 0, 0, time.monotonic()
        self.console = Console(file=stream or sys.stdout, force_jupyter=False, highlight=False,
                               markup=False, emoji=False, soft_wrap=True)
        self.bar = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[tail]}"), console=self.console, transient=True,
                            disable=not self.console.is_terminal)
        self.task = self.bar.add_task(noun, total=total, tail="")
        self.bar.start()

    def step(self, failed):
        """Count one more learner done; return the line's counter ("[3/40]") and its tail."""
        self.done += 1
        self.failed += bool(failed)
        elapsed = max(time.monotonic() - self.begin, 1e-9)
        left = (self.total - self.done) * elapsed / self.done
        tail = (f"{60 * self.done / elapsed:.1f} {self.noun}/min, "
                + (f"about {duration(left)} left" if self.done < self.total else "done")
                + f", {self.failed} {self.failures} so far")
        self.bar.update(self.task, completed=self.done, tail=tail)
        return f"[{self.done}/{self.total}]", tail

    def print(self, line):
        """One line above the bar (or alone, off a terminal)."""
        self.console.print(Text(line))

    def close(self):
        self.bar.stop()

    @property
    def elapsed(self):
        return time.monotonic() - self.begin

    @property
    def rate(self):
        """Learners per minute so far."""
        return 60 * self.done / max(self.elapsed, 1e-9)


def duration(seconds):
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds // 3600:.0f} h {seconds % 3600 / 60:.0f} min"
