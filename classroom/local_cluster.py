"""A real Dask cluster on this machine, for the tests and `make bench`: a `dask scheduler` and
`dask worker --nthreads 1` processes talking TCP on localhost, started as the README starts them
on several machines.
"""

import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile

import distributed

from autograder.checkkit.environment import ROOT
from classroom.cluster import CONNECT_SECONDS


class LocalCluster:
    """A real `dask scheduler` and `dask worker --nthreads 1` processes on this machine, talking
    TCP on localhost, started as the README starts them on several machines: for the tests and
    `make bench`. Each worker has its nanny, which restarts it if it dies."""

    def __init__(self, workers=2, logs=None):
        self.logs = pathlib.Path(logs or tempfile.mkdtemp(prefix="dask-logs-"))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
        self.processes = {}
        try:
            self.start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1])
            for number in range(1, workers + 1):
                self.start_worker(f"w{number}")
            self.wait_for_workers(workers)
        except BaseException:
            self.close()
            raise

    def start(self, name, *arguments, root=ROOT):
        with open(self.logs / f"{name}.log", "w") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "dask", *arguments, "--no-dashboard"], cwd=root, stdout=log,
                stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(root)), start_new_session=True)
        return self.processes[name]

    def start_worker(self, name, root=ROOT):
        """One more worker, running the grader of the checkout at `root`."""
        return self.start(name, "worker", self.address, "--nthreads", "1", "--name", name, root=root)

    def wait_for_workers(self, count, timeout=180):
        with distributed.Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=timeout)

    def stop(self, name):
        """End a dask command and everything it started (worker processes, their graders)."""
        process = self.processes.pop(name)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
                return
            except subprocess.TimeoutExpired:
                continue

    def close(self):
        for name in reversed(list(self.processes)):
            self.stop(name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
