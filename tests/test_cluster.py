"""`make grade-batch SCHEDULER=...` on a real Dask cluster: a `dask scheduler` and two
`dask worker --nthreads 1` processes started here, on localhost, talking TCP.

A small class (the reference, the stub, and from the battery a crashing, a hanging, a tampering
learner and one with no file) is graded by the local batch and by the cluster, and a Dask worker
is killed while it grades: the grades must be the local batch's, and no learner lost. A learner
whose code kills the Dask worker grading it is reported once it has killed two, not tried again.
"""

import csv
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import pytest
from test_battery import BASES, build_submission

from classroom.local_cluster import LocalCluster
from conftest import ROOT, killing_above, names_itself

pytestmark = pytest.mark.slow

BATTERY_CASES = ["segfault", "hang_in_python", "patches_grader_at_import", "no_file"]
CHECK_TIMEOUT = "15"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers, each with its nanny (which restarts a worker that dies)."""
    with LocalCluster(workers=2, logs=tmp_path_factory.mktemp("dask-logs")) as started:
        yield started


def make_class(folder, learners):
    """Learner folders for `learners`: "reference", "stub", "worker_killer" or a battery case."""
    folder.mkdir()
    for learner in learners:
        if learner in BASES:
            (folder / learner).mkdir()
            shutil.copy(BASES[learner], folder / learner / "part1_tf2_basics.py")
        elif learner == "worker_killer":
            (folder / learner).mkdir()
            (folder / learner / "part1_tf2_basics.py").write_text(BASES["stub"].read_text() + names_itself("kill-my-worker"))
        else:
            build_submission(learner, folder / learner)
    return folder


def batch_command(folder, out, *extra):
    return [sys.executable, "-m", "classroom.batch", str(folder), "--part", "1",
            "--check-timeout", CHECK_TIMEOUT, "--out", str(out), *extra]


def gradebook(out):
    with open(out / "grades.csv", newline="") as stream:
        return {row["learner"]: row for row in csv.DictReader(stream)}


def outcomes(report):
    """What a learner's report says, check by check (times and memory left out)."""
    results = json.loads(report.read_text())
    return [(t["name"], t["score"], t["output"]) for t in results["tests"]]


def processes():
    """{pid: (parent pid, command line)} of every process now."""
    found = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                found[int(entry.name)] = (parent, (entry / "cmdline").read_bytes())
            except (OSError, IndexError, ValueError):
                pass
    return found


def grading_workers(address):
    """[(Dask worker pid, [its warm grader and fork server pids])] of the workers of this cluster
    grading a learner now (their warm grader's fork server has a grading process)."""
    table = processes()
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found = []
    for pid, (parent, command) in table.items():
        nanny = table.get(parent, (0, b""))[0]
        if b"classroom.warm_grader" in command and address.encode() in table.get(nanny, (0, b""))[1]:
            servers = children.get(pid, [])
            if any(children.get(server) for server in servers):
                found.append((parent, [pid, *servers]))
    return found


def test_cluster_grades_as_the_local_batch_and_loses_no_learner_when_a_worker_dies(cluster, tmp_path):
    """Does the cluster grade two learners at once, one per worker, and give every learner
    (crashing, hanging and tampering ones included) exactly the local batch's grades and report,
    with one Dask worker killed while it grades?"""
    address = cluster.address
    learners = ["reference", "stub", *BATTERY_CASES]
    folder = make_class(tmp_path / "class", learners)
    local = subprocess.run(batch_command(folder, tmp_path / "local", "--jobs", "2"), cwd=ROOT,
                           capture_output=True, text=True, timeout=1800)
    assert local.returncode == 0, local.stdout + local.stderr

    cluster.wait_for_workers(2)
    run = subprocess.Popen(batch_command(folder, tmp_path / "cluster", "--scheduler", address), cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    grading, deadline = [], time.monotonic() + 600
    while len(grading) < 2 and run.poll() is None and time.monotonic() < deadline:
        grading = grading_workers(address)
        time.sleep(0.2)
    assert len(grading) == 2, "the two Dask workers were never seen grading at once"
    killed = grading[0]
    os.kill(killed[0], signal.SIGKILL)
    output, errors = run.communicate(timeout=1800)
    assert run.returncode == 0, output + errors

    assert gradebook(tmp_path / "cluster") == gradebook(tmp_path / "local")
    assert len(gradebook(tmp_path / "cluster")) == len(learners)
    for learner in learners:
        assert (outcomes(tmp_path / "cluster" / learner / "results.json")
                == outcomes(tmp_path / "local" / learner / "results.json")), learner
    assert sorted(p.name for p in (tmp_path / "cluster" / "reference").iterdir()) == sorted(
        p.name for p in (tmp_path / "local" / "reference").iterdir())
    lines = pytest.LineMatcher(output.splitlines())
    lines.fnmatch_lines([f"Grading {len(learners)} learners from * on the Dask cluster at {address} "
                         "(2 workers, 2 threads) ..."])
    lines.re_match_lines([rf"\[{len(learners)}/{len(learners)}\] \S+: [\d.]+/[\d.]+ .*\| [\d.]+ learners/min, "
                          r"done, \d+ with a problem so far"])
    time.sleep(2)  # the killed worker's grader notices within a second, and its processes end
    table = processes()
    assert [pid for pid in killed[1] if pid in table] == []


def test_a_learner_that_kills_workers_is_reported_after_two(cluster, tmp_path):
    """Is a learner whose grading kills every Dask worker it lands on (here the test kills it, as
    the out-of-memory killer would) reported as a grading failure after two deaths, not retried
    for ever, while the rest of the class is graded?"""
    address = cluster.address
    cluster.wait_for_workers(2)
    folder = make_class(tmp_path / "class", ["reference", "worker_killer"])
    with killing_above("kill-my-worker", "classroom.warm_grader", its_parent=True) as killed:
        result = subprocess.run(batch_command(folder, tmp_path / "out", "--scheduler", address), cwd=ROOT,
                                capture_output=True, text=True, timeout=1800)
    assert len(killed) == 2
    assert result.returncode == 3, result.stdout + result.stderr  # the grader failed a learner
    rows = gradebook(tmp_path / "out")
    assert rows["reference"]["total"] == "26" and rows["reference"]["problem"] == ""
    assert rows["worker_killer"]["total"] == ""
    assert rows["worker_killer"]["problem"].startswith("grading failure (its grading killed 2 Dask workers")
    assert "failures of the grader: 1" in result.stdout


def test_refuses_workers_that_run_another_grader(cluster, tmp_path):
    """Does grade-batch refuse a cluster one of whose workers runs a different grader (another
    checkout, a changed threshold), naming that worker, before grading anyone?"""
    address = cluster.address
    other = tmp_path / "other-checkout"
    for name in ("autograder", "coursekit", "classroom"):
        shutil.copytree(ROOT / name, other / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "constraints.txt", other)
    with open(other / "autograder" / "checkkit" / "thresholds.py", "a") as thresholds:
        thresholds.write("\n# another version\n")
    cluster.start_worker("w-other", root=other)
    try:
        cluster.wait_for_workers(3)
        folder = make_class(tmp_path / "class", ["stub"])
        result = subprocess.run(batch_command(folder, tmp_path / "out", "--scheduler", address), cwd=ROOT,
                                capture_output=True, text=True, timeout=600)
    finally:
        cluster.stop("w-other")
    assert result.returncode == 2
    assert "1 Dask worker(s) cannot grade as this machine grades" in result.stderr
    assert "w-other at tcp://" in result.stderr
    assert "make dask-worker" in result.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()
