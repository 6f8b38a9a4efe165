"""The hostile battery: learner code that reaches for what its grading does not need, through
the channels that grade on the instructor's machine: `make grade` in the checkout, a class with
`make grade-batch`, and a class on a Dask worker (`make autograde`: tests/test_nbgrader_course.py).

Each attack (tests/hostile.py) must get its honest score, change no file outside its own scratch
folder (the checkout, the other learners' files, the gradebook and results keep their checksums
and carry no mark), open no connection, kill no grader, and leave no process behind; grading
ends on time. Where the sandbox cannot hold here the battery is skipped with the reason; the
fallback has tests of its own: a warning for `make grade`, a refusal for a class.
"""

import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from autograder.checks import checks_for
from autograder.execute import landlock, sandbox
from classroom.local_cluster import LocalCluster
from conftest import ROOT
from hostile import (
    ATTACKS,
    MARK,
    WRITTEN,
    Target,
    failing_filter,
    honest_score,
    hostile_file,
    no_landlock,
    tcp_listener,
)

pytestmark = pytest.mark.slow
HOLDS, WHY = sandbox.available()
needs_sandbox = pytest.mark.skipif(not HOLDS or landlock.abi_version() < 6,
                                   reason=f"the sandbox with scoped signals (Landlock ABI 6) is needed: {WHY}")
POINTS = sum(c.points for c in checks_for(1))
SECONDS = 600  # a learner's grading that runs past this has hung: the attack won


@pytest.fixture(scope="module")
def listener():
    """A TCP server on 127.0.0.1 that records who connects: (port, what they sent)."""
    with tcp_listener() as listening:
        yield listening


def checksum(*paths):
    """A SHA-256 of every file under `paths`, names included."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in pathlib.Path(path).rglob("*") if p.is_file()) if pathlib.Path(path).is_dir() else [path]
        for file in files:
            digest.update(str(file).encode() + pathlib.Path(file).read_bytes())
    return digest.hexdigest()


def protected():
    """The instructor's files no grading may change: the reference, the course's notebooks."""
    return checksum(ROOT / "solutions", ROOT / "course" / "source")


def marks_outside(*folders):
    """Files an attack managed to create or change, in `folders`, /tmp and the home folder."""
    found = [p for p in (pathlib.Path("/tmp") / MARK, pathlib.Path("/tmp") / f"{MARK}-relative",
                         pathlib.Path.home() / MARK) if p.exists()]
    for folder in folders:
        for path in pathlib.Path(folder).rglob("*"):
            if path.name.startswith(MARK) or (path.is_file() and WRITTEN.encode() in path.read_bytes()):
                found.append(path)
    return found


def orphans(*logs):
    """The processes an attack left running: it printed their pids into its output log."""
    pids = [int(pid) for log in logs if pathlib.Path(log).exists()
            for pid in re.findall(rf"{MARK} orphan (\d+)", pathlib.Path(log).read_text(errors="replace"))]
    return [pid for pid in pids if pathlib.Path(f"/proc/{pid}").exists()
            and pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]


def a_class(folder, target_for):
    """One learner per attack, beside `victim` (the reference) whose file the attacks want."""
    (folder / "victim").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "part1_tf2_basics.py", folder / "victim")
    for name in ATTACKS:
        (folder / name).mkdir()
        (folder / name / "part1_tf2_basics.py").write_text(hostile_file(name, target_for(name)))
    return folder


def scores(out):
    return {path.parent.name: json.loads(path.read_text())["score"] for path in out.glob("*/results.json")}


@needs_sandbox
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_make_grade_in_the_checkout_gives_the_honest_score(attack, tmp_path, listener):
    """Through `make grade` in the instructor's checkout (`python -m autograder`, as the
    Makefile runs it), does each attack earn its honest score, leave the reference, the course's
    notebooks, a gradebook and another learner's results unchanged, connect nowhere and leave no
    process behind?"""
    port, connections = listener
    records = tmp_path / "records"
    records.mkdir()
    (records / "grades.csv").write_text("learner,total\nada,26\n")
    (records / "results.json").write_text('{"score": 26}\n')
    before, kept = protected(), checksum(records)
    submission = tmp_path / "submission"
    submission.mkdir()
    target = Target([str(ROOT)], str(records / "results.json"), [str(records / "grades.csv"), str(records)], port)
    (submission / "part1_tf2_basics.py").write_text(hostile_file(attack, target))
    report = tmp_path / "reports" / "results.json"
    result = subprocess.run([sys.executable, "-m", "autograder", "--part", "1", "--submission", str(submission),
                             "--report", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=SECONDS,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    graded = json.loads(report.read_text())
    assert graded["score"] == honest_score(attack, POINTS), result.stdout[-3000:]
    assert graded["extra_data"]["sandbox"].startswith("landlock ABI")
    assert protected() == before and checksum(records) == kept
    assert marks_outside(tmp_path, ROOT / "solutions") == [] and connections == []
    assert orphans(report.parent / "part1_output.txt") == []


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, listener):
    """A class (one learner per attack, and a victim) graded by grade-batch with two warm
    workers: (folder, out, the checksums before, the output)."""
    port, _ = listener
    root = tmp_path_factory.mktemp("hostile-class")
    out = root / "out"

    def target_for(name):
        return Target([str(ROOT)], str(root / "class" / "victim" / "part1_tf2_basics.py"),
                      [str(out / "grades.csv"), str(out / "victim" / "results.json"), str(out),
                       str(root / "class" / "victim" / "part1_tf2_basics.py")], port)

    folder = a_class(root / "class", target_for)
    before = (protected(), checksum(folder / "victim"))
    result = subprocess.run([sys.executable, "-m", "classroom.batch", str(folder), "--part", "1", "--jobs", "2",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=SECONDS * 2)
    return folder, out, before, result


@needs_sandbox
def test_grade_batch_gives_every_attack_its_honest_score(graded_class, listener):
    """With `make grade-batch` (warm graders, grading from the grader-only tree), does every
    attack earn its honest score and the victim full marks, with every grader alive to the end?"""
    folder, out, _, result = graded_class
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert scores(out) == {"victim": POINTS, **{name: honest_score(name, POINTS) for name in ATTACKS}}
    assert "failures of the grader: 0" in result.stdout


@needs_sandbox
def test_grade_batch_changes_nothing_outside_and_leaves_nothing_running(graded_class, listener):
    """After the class, are the reference, the course's notebooks and the victim's file
    unchanged, no result or gradebook marked, no connection made and no process left?"""
    folder, out, before, _ = graded_class
    _, connections = listener
    assert (protected(), checksum(folder / "victim")) == before
    assert marks_outside(out, folder) == [] and connections == []
    assert orphans(*out.glob("*/part1_output.txt")) == []


@needs_sandbox
def test_a_dask_worker_gives_the_honest_scores(tmp_path, listener):
    """On a Dask worker (a real scheduler and worker on this machine), do the attacks that aim
    at the grading machine's processes, records and network earn their honest score, with the
    worker alive and the victim's file unchanged?"""
    port, connections = listener
    out = tmp_path / "out"
    aimed = ["signals_the_graders", "writes_records_and_outside", "connects_to_a_local_port",
             "reads_another_learner", "reads_the_reference"]
    folder = a_class(tmp_path / "class", lambda name: Target(
        [str(ROOT)], str(tmp_path / "class" / "victim" / "part1_tf2_basics.py"),
        [str(out), str(tmp_path / "class" / "victim" / "part1_tf2_basics.py")], port))
    for name in set(ATTACKS) - set(aimed):
        shutil.rmtree(folder / name)
    kept = checksum(folder / "victim")
    (tmp_path / "logs").mkdir()
    with LocalCluster(workers=1, logs=tmp_path / "logs") as cluster:
        result = subprocess.run([sys.executable, "-m", "classroom.batch", str(folder), "--part", "1",
                                 "--scheduler", cluster.address, "--out", str(out)], cwd=ROOT,
                                capture_output=True, text=True, timeout=SECONDS * 2)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert scores(out) == {"victim": POINTS, **{name: honest_score(name, POINTS) for name in aimed}}
    assert checksum(folder / "victim") == kept and connections == []
    assert marks_outside(out, folder) == []


# ---------------------------------------------------------------- where the sandbox cannot hold
def without_landlock():
    """Start the command as on a kernel without Landlock (a seccomp filter makes its calls fail)."""
    failing_filter(no_landlock())


@pytest.mark.skipif(not sandbox.seccomp_available(), reason="a seccomp filter is needed to take Landlock away")
def test_without_a_sandbox_make_grade_warns_and_a_class_is_refused(tmp_path):
    """On a machine without Landlock, does `make grade` grade with a one-line warning and say
    "none (why)" in results.json, does grade-batch refuse the class before grading anyone, and
    does UNSANDBOXED=1 grade it anyway, saying so?"""
    folder = tmp_path / "class" / "ada"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "part1_tf2_basics.py", folder)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    one = subprocess.run([sys.executable, "-m", "autograder", "--part", "1", "--submission", str(folder),
                          "--report", str(tmp_path / "r.json")], cwd=ROOT, capture_output=True, text=True,
                         env=env, preexec_fn=without_landlock, timeout=SECONDS)
    assert one.returncode == 0, one.stderr
    warning = one.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("grade: grading without an operating-system sandbox (no Landlock")
    assert json.loads((tmp_path / "r.json").read_text())["extra_data"]["sandbox"].startswith("none (")
    batch = [sys.executable, "-m", "classroom.batch", str(tmp_path / "class"), "--part", "1", "--out",
             str(tmp_path / "out")]
    refused = subprocess.run(batch, cwd=ROOT, capture_output=True, text=True, env=env,
                             preexec_fn=without_landlock, timeout=SECONDS)
    assert refused.returncode == 2 and "UNSANDBOXED=1" in refused.stderr and "Grading" not in refused.stdout
    forced = subprocess.run(batch, cwd=ROOT, capture_output=True, text=True, env=dict(env, UNSANDBOXED="1"),
                            preexec_fn=without_landlock, timeout=SECONDS)
    assert forced.returncode == 0, forced.stdout[-2000:] + forced.stderr[-2000:]
    assert "grading without an operating-system sandbox" in forced.stderr
    report = json.loads((tmp_path / "out" / "ada" / "results.json").read_text())
    assert report["extra_data"]["sandbox"].startswith("none (") and report["score"] == 0
