"""Grading a class on this machine: several warm graders at once (warm_grader.py), or one
`python -m autograder` per learner (`--cold`). cluster.Cluster grades on a Dask cluster the same way.

Runs on the instructor's machine; the learners' code runs only in the grading processes that
each grader forks.
"""

import concurrent.futures
import subprocess
import sys
import time

from autograder.checkkit import limits
from autograder.supervise import container
from classroom import grader_tree, warm_grader
from classroom.learner import engine_arguments, learner_timeout, not_graded, read_report


def grade_warm(grader, folder, out, parts, check_timeout):
    """Grade one learner with a warm grader (warm_grader.py)."""
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    begin = time.monotonic()
    try:
        answer = grader.grade(engine_arguments(folder, report, parts, check_timeout), learner_timeout(parts))
    except warm_grader.GraderDied as died:
        return not_graded(folder.name, report, str(died), time.monotonic() - begin)
    return read_report(folder.name, report, answer["status"], answer["output"], time.monotonic() - begin)


def grade_cold(folder, out, parts, check_timeout):
    """Grade one learner with a `python -m autograder` of its own (grade-batch before warm graders)."""
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    begin = time.monotonic()
    tree = grader_tree.ensure()
    result = subprocess.run([sys.executable, "-m", "autograder", *engine_arguments(folder, report, parts, check_timeout)],
                            cwd=tree, capture_output=True, text=True, env=warm_grader.grader_environment(tree))
    return read_report(folder.name, report, result.returncode, result.stdout + result.stderr, time.monotonic() - begin)


class ThisMachine:
    """Grading on this machine, `jobs` learners at a time: warm graders, or one `python -m
    autograder` per learner (`cold`)."""

    def __init__(self, jobs, cold):
        self.jobs, self.cold = max(1, jobs or default_workers()), cold

    def slots(self):
        return self.jobs

    def describe(self):
        return f"with {self.jobs} {'cold' if self.cold else 'warm'} worker{'s' if self.jobs > 1 else ''}"

    def graded(self, folders, out, parts, check_timeout, alone=False):
        """Yield each learner's Graded as it finishes; `alone`: one at a time."""
        jobs = 1 if alone else self.jobs
        if not self.cold:
            yield from warm_grader.grade_each(
                folders, jobs, lambda grader, folder: grade_warm(grader, folder, out, parts, check_timeout))
            return
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = [pool.submit(grade_cold, folder, out, parts, check_timeout) for folder in folders]
            for future in concurrent.futures.as_completed(futures):
                yield future.result()

    def close(self):
        pass


def default_workers(proc=container.PROC):
    """Learners graded at once: no more than the CPUs, nor than fit in memory, each learner's
    grader holding a fork server and one grading process (limits.py's measured figures)."""
    room_mb = container.memory_limit(proc) / 2**20 - limits.HEADROOM_MB
    return max(1, min(container.cpu_count(proc), int(room_mb // (limits.SERVER_MB + limits.PROCESS_MB))))
