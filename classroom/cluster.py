"""`make grade-batch SCHEDULER=tcp://host:8786`: a class graded by the workers of a Dask cluster.

Each learner is one task. The learner's files travel to a Dask worker as bytes; the worker grades
them with a warm grader of its own (warm_grader.py: `make grade`'s engine, started once per Dask worker
by GraderPlugin) and sends back what the grader wrote: results.json, what the code printed, the
pictures. This machine writes them where the local batch would, with this machine's paths in
them, and batch.py builds the same grades.csv. Neither this machine nor a Dask worker's own
process imports or runs a learner's code.

Every Dask worker runs in a checkout of the same grader (`make dask-worker`): this run compares
each worker's fingerprint of autograder/, coursekit/ and constraints.txt with its own first.

A Dask worker that dies mid-task (killed, out of memory, its machine gone) takes its warm grader
and that learner's grading processes with it; the scheduler gives the learner to another worker.
A learner whose grading killed two workers is reported as a grading failure, not tried again:
this run sets the scheduler's allowed-failures to 1 while it grades. Learners are handed out one
per free worker thread, so that a worker that dies was grading no learner but the one it holds.
"""

import collections
import contextlib
import json
import os
import pathlib
import queue
import tempfile
import uuid

import dask
import distributed

from autograder.checkkit.environment import ROOT
from autograder.execute import sandbox
from classroom import grader_tree, learner
from classroom.warm_grader import GraderDied, WarmGrader

PLUGIN = "tf2-course-grader"
ALLOWED_FAILURES = 1  # deaths of a worker that a learner's task survives: the second one ends it
MAX_SUBMISSION_BYTES = 64 * 2**20  # what one learner's folder, or their report folder, may weigh to be sent
CONNECT_SECONDS = 30
WORKERS_SECONDS = 120  # how long to wait for a first worker to join


class ClusterError(RuntimeError):
    """The cluster cannot grade (unreachable, no worker, another grader); the message says why."""


def grader_fingerprint(root=ROOT):
    """What decides a grade here (grader_tree.py): compared between this machine and each worker."""
    return grader_tree.fingerprint(root)


def read_submission(folder):
    """{relative path: bytes} of every plain file in a learner's folder, or why it cannot be
    sent. Links are left out: read here, with the instructor's rights, a link to another file
    would carry that file to the worker, where the learner's code could read it."""
    files, size = {}, 0
    for directory, _, names in os.walk(folder):
        for name in sorted(names):
            path = pathlib.Path(directory) / name
            if path.is_file() and not path.is_symlink():
                size += path.stat().st_size
                if size > MAX_SUBMISSION_BYTES:
                    return f"the folder holds over {MAX_SUBMISSION_BYTES // 2**20} MB, more than a task takes"
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def write_submission(files, folder):
    for name, data in files.items():
        relative = pathlib.PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"a submitted file's name leaves the folder: {name}")
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def dask_free_environment():
    """This process's environment without what Dask's nanny set for numerical libraries
    (OMP_NUM_THREADS=1, ...): a worker grades as `make grade` grades."""
    added = dask.config.get("distributed.nanny.pre-spawn-environ", {})
    return {k: v for k, v in os.environ.items() if not (k in added and v == str(added[k]))}


class GraderPlugin(distributed.WorkerPlugin):
    """On each Dask worker: warm graders of its own, one per task running at once (one with
    `--nthreads 1`), the first started, and TensorFlow imported, as the worker joins."""

    def setup(self, worker):
        self.address, self.graders, self.idle = worker.address, [], queue.SimpleQueue()
        self.idle.put(self.new_grader())

    def new_grader(self):
        grader = WarmGrader(environment=dask_free_environment())
        self.graders.append(grader)
        return grader

    def teardown(self, worker):
        for grader in self.graders:
            grader.close()

    def grade(self, files, parts, check_timeout):
        try:
            grader = self.idle.get_nowait()
        except queue.Empty:
            grader = self.new_grader()
        try:
            with tempfile.TemporaryDirectory(prefix="grade-task-") as work:
                submission, reports = pathlib.Path(work) / "submission", pathlib.Path(work) / "reports"
                submission.mkdir()
                reports.mkdir()
                write_submission(files, submission)
                argv = learner.engine_arguments(submission, reports / "results.json", parts, check_timeout)
                answer = {"worker": self.address, "submission": str(submission), "reports": str(reports)}
                try:
                    answer |= grader.grade(argv, learner.learner_timeout(parts))
                except GraderDied as died:
                    return answer | {"died": str(died)}
                return answer | {"files": report_files(reports)}
        finally:
            self.idle.put(grader)


def report_files(reports):
    """{name: bytes} of what the grader wrote (results.json first, then what the learner's code
    printed, the pictures), up to MAX_SUBMISSION_BYTES in all."""
    files, size = {}, 0
    for path in sorted((p for p in reports.iterdir() if p.is_file()), key=lambda p: p.name != "results.json"):
        size += path.stat().st_size
        if size <= MAX_SUBMISSION_BYTES:
            files[path.name] = path.read_bytes()
    return files


def grade_task(files, parts, check_timeout):
    """A task, on a Dask worker: one learner's files graded by this worker's warm grader."""
    return distributed.get_worker().plugins[PLUGIN].grade(files, parts, check_timeout)


def allowed_failures_setter(value):
    """A function for the scheduler (sent by value: the scheduler needs no checkout) that sets
    its allowed-failures and returns the previous value."""
    def set_allowed_failures(dask_scheduler):
        previous, dask_scheduler.allowed_failures = dask_scheduler.allowed_failures, value
        return previous
    return set_allowed_failures


class Cluster:
    """A connection to a Dask scheduler whose workers grade with this grader."""

    def __init__(self, address):
        self.address = address
        try:
            self.client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
            self.check_workers()
            self.client.register_plugin(GraderPlugin(), name=PLUGIN)
            self.previous_failures = self.client.run_on_scheduler(allowed_failures_setter(ALLOWED_FAILURES))
        except BaseException as error:
            self.client.close()
            if isinstance(error, TimeoutError):
                raise ClusterError(f"no Dask worker joined the scheduler at {address} within "
                                   f"{WORKERS_SECONDS} s: start some with `make dask-worker`") from None
            raise

    def check_workers(self):
        """Refuse workers that cannot import this grader, run another version of it, or cannot
        sandbox the learners' code (unless UNSANDBOXED=1 here)."""
        mine = grader_fingerprint()
        theirs = self.client.run(grader_fingerprint, on_error="return")
        sandboxes = {} if os.environ.get("UNSANDBOXED") == "1" else self.client.run(sandbox.available, on_error="return")
        unsandboxed = [f"{address}: no operating-system sandbox ({value[1]})" for address, value in sorted(sandboxes.items())
                       if not isinstance(value, BaseException) and not value[0]]
        if unsandboxed:
            raise ClusterError(f"{len(unsandboxed)} Dask worker(s) would run the learners' code unsandboxed "
                               "(UNSANDBOXED=1 grades anyway):\n  " + "\n  ".join(unsandboxed))
        names = {address: info.get("name") for address, info in self.client.scheduler_info()["workers"].items()}
        wrong = [f"{names.get(address)} at {address}: "
                 + (f"{type(value).__name__}: {value}" if isinstance(value, BaseException) else f"grader {value}")
                 for address, value in sorted(theirs.items()) if value != mine]
        if wrong:
            raise ClusterError(f"{len(wrong)} Dask worker(s) cannot grade as this machine grades (grader "
                               f"{mine} here): start each worker in a checkout of the same commit, with "
                               "`make install` done, by `make dask-worker`:\n  " + "\n  ".join(wrong))

    def slots(self):
        """Learners graded at once: the worker threads of the cluster now."""
        return sum(self.client.nthreads().values())

    def describe(self):
        threads = self.client.nthreads()
        return f"on the Dask cluster at {self.address} ({plural(len(threads), 'worker')}, {plural(sum(threads.values()), 'thread')})"

    def graded(self, folders, out, parts, check_timeout, alone=False):
        """Yield each learner's Graded as the cluster finishes it; `alone`: one at a time."""
        pending, running, folder_of = collections.deque(folders), distributed.as_completed(loop=self.client.loop), {}
        while pending or running.count():
            while pending and running.count() < (1 if alone else max(1, self.slots())):
                folder = pending.popleft()
                files = read_submission(folder)
                if isinstance(files, str):
                    yield unsent(folder, out, files)
                    continue
                future = self.client.submit(grade_task, files, parts, check_timeout, pure=False,
                                            key=f"grade-{folder.name}-{uuid.uuid4().hex[:8]}")
                folder_of[future.key] = folder
                running.add(future)
            if running.count():
                future = next(running)
                yield self.collect(future, folder_of.pop(future.key), out)

    def collect(self, future, folder, out):
        report = out / folder.name / "results.json"
        try:
            answer = future.result()
        except distributed.KilledWorker:
            return learner.not_graded(folder.name, report, f"its grading killed {ALLOWED_FAILURES + 1} Dask "
                                    "workers; it was not tried again")
        except Exception as error:
            return learner.not_graded(folder.name, report, f"the Dask worker failed: {type(error).__name__}: {error}")
        if "died" in answer:
            return learner.not_graded(folder.name, report, f"on {answer['worker']}: {answer['died']}")
        return store(answer, folder, report)

    def close(self):
        with contextlib.suppress(Exception):
            self.client.run_on_scheduler(allowed_failures_setter(self.previous_failures))
            self.client.unregister_worker_plugin(PLUGIN)
        self.client.close()


def unsent(folder, out, why):
    report = out / folder.name / "results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    (report.parent / "grade.log").write_text(f"not sent to the cluster: {why}\n")
    return learner.Graded(folder.name, None, 0.0, f"not graded ({why})")


def store(answer, folder, report):
    """Write what a worker's grader wrote as the local batch would have written it: the worker's
    folders replaced by this machine's (the learner's folder, the report's)."""
    report.parent.mkdir(parents=True, exist_ok=True)
    moves = [(answer["submission"], str(folder)), (answer["reports"], str(report.parent))]

    def here(text, escape=lambda s: s):
        for there, local in moves:
            text = text.replace(escape(there), escape(local))
        return text

    for name, data in answer["files"].items():
        if name == "results.json":
            data = here(data.decode(), lambda s: json.dumps(s)[1:-1]).encode()
        (report.parent / name).write_bytes(data)
    output = here(answer["output"]) + f"\n(graded by the Dask worker {answer['worker']})\n"
    return learner.read_report(folder.name, report, answer["status"], output, answer["seconds"])


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"
