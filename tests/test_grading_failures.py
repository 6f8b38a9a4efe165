"""A failure of the machinery is not the learner's: grading in a real memory cgroup, as in a
container, and a fork server killed under the grader's feet.

The cgroup tests create a memory cgroup (v1 or v2) with a limit and grade inside it; where this
machine does not let the tests create one (not root, no memory controller), they are skipped
with the reason. Nothing here is mocked: the kernel's out-of-memory killer does the killing.
"""

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from autograder.supervise import container
from conftest import ROOT, names_itself, processes_named, reference_file

pytestmark = pytest.mark.slow
MB = 2**20
ALL_POINTS = sum(c.points for p in registry.PARTS for c in checks_for(p))
PART1 = registry.PARTS[1] + ".py"


def memory_cgroup(limit_mb):
    try:
        return container.MemoryCgroup(limit_mb * MB)
    except container.CgroupUnavailable as error:
        pytest.skip(f"this machine does not let the tests create a memory cgroup: {error}")


def grade(*args, report, group=None):
    """`python -m autograder` on `args`, inside `group` if given; (process, results.json)."""
    result = subprocess.run([sys.executable, "-m", "autograder", *args, "--report", str(report)],
                            cwd=ROOT, preexec_fn=group.join if group else None,
                            capture_output=True, text=True, timeout=3600)
    return result, json.loads(report.read_text())


def test_reference_gets_full_marks_under_768_mb(tmp_path):
    """In Gradescope's default container (768 MB), does the reference get every point, with as
    many parts at once as fit?"""
    with memory_cgroup(768) as group:
        result, results = grade("--submission", "solutions", report=tmp_path / "r.json", group=group)
        kills = group.oom_kills()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert results["score"] == results["max_score"] == ALL_POINTS
    assert results["extra_data"]["memory_limit_mb"] == 768 and kills == 0


def test_nothing_is_blamed_on_the_learner_under_512_mb(tmp_path):
    """Under 512 MB, is the reference graded in full one part at a time, or is each check it
    could not grade a grading failure (exit status 3), never the learner's crash?"""
    with memory_cgroup(512) as group:
        result, results = grade("--submission", "solutions", report=tmp_path / "r.json", group=group)
    assert results["extra_data"]["jobs"] == 1
    lost = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert all("not graded: the grader ran out of memory (limit 512 MB)" in t["output"] for t in lost), lost
    assert "status 255" not in json.dumps(results) and "sys.exit" not in json.dumps(results)
    assert result.returncode == (3 if lost else 0), result.stderr
    assert set(sum(results["extra_data"]["problems"].values(), [])) <= {"grading failure"}


def test_process_the_oom_killer_ends_is_a_grading_failure(tmp_path):
    """When the kernel's out-of-memory killer ends a grading process (a check that needs more
    than the container has), is the check graded again, alone, then reported as a grading
    failure with the limit, on the terminal and in results.json, and does `make grade`'s
    command exit 3; are the other checks still graded?"""
    (tmp_path / PART1).write_text((ROOT / "exercises" / PART1).read_text() + (
        "\n\ndef standardize(x, axis=0):\n"
        "    import numpy as np\n"
        "    return np.ones(2**30 // 8)  # 1 GB, every page touched\n"))
    with memory_cgroup(512) as group:
        result, results = grade("--part", "1", "--submission", str(tmp_path), report=tmp_path / "r.json", group=group)
        kills = group.oom_kills()
    assert result.returncode == 3, result.stdout[-3000:] + result.stderr[-3000:]
    standardize = next(t for t in results["tests"] if t["name"].endswith("standardize_matches_numpy"))
    assert "not graded: the grader ran out of memory (limit 512 MB) while running this check, twice" in standardize["output"]
    assert "tell your instructor" in results["output"]
    assert results["extra_data"]["problems"] == {"1": ["grading failure"]}
    assert kills == 2  # the first time, and once more alone
    others = [t for t in results["tests"] if t is not standardize]
    assert all("not attempted yet" in t["output"] for t in others)
    assert "VOID     0/2  standardize: standardize_matches_numpy" in result.stdout
    assert "could not be graded (the grader ran out of memory (limit 512 MB))" in result.stderr


def forkserver_below(pid):
    """The multiprocessing fork server among `pid`'s descendants, or None."""
    for entry in pathlib.Path("/proc").glob("[0-9]*"):
        try:
            if b"forkserver" in (entry / "cmdline").read_bytes():
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if parent == pid:
                    return int(entry.name)
        except (OSError, ValueError, IndexError):
            continue
    return None


def test_dead_fork_server_is_not_the_learners_exit(tmp_path):
    """When the fork server dies mid-check (as when the out-of-memory killer picks it), its
    grading processes die with it and used to read as "exited early with status 255 (sys.exit?)":
    is the part graded again, alone, and are both parts given every point?"""
    folder = tmp_path / "learner"
    folder.mkdir()
    killed = folder / "server-killed"  # in the submission's folder, which the sandbox lets it read
    (folder / PART1).write_text(reference_file(1).read_text() + (
        "\n\n_reference_standardize = standardize\n\n\n"
        "def standardize(x, axis=0):\n"
        "    import os\n"
        f"    if not os.path.exists({str(killed)!r}):  # wait for the test to kill the fork server\n"
        f"{textwrap.indent(names_itself('standardizing', wait=120), '        ')}"
        "    return _reference_standardize(x, axis)\n"))
    (folder / registry.PARTS[2]).with_suffix(".py").write_text(reference_file(2).read_text())
    report = tmp_path / "r.json"
    grader = subprocess.Popen([sys.executable, "-m", "autograder", "--part", "1", "--part", "2", "--jobs", "2",
                               "--submission", str(folder), "--report", str(report)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 600
    while not processes_named("standardizing") and grader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_named("standardizing"), "the check never reached standardize"
    server = forkserver_below(grader.pid)
    assert server is not None, "no fork server found"
    killed.touch()  # the part's second grading runs through
    os.kill(server, signal.SIGKILL)  # what the kernel's out-of-memory killer sends
    out, err = grader.communicate(timeout=1800)
    assert grader.returncode == 0, out[-3000:] + err[-3000:]
    results = json.loads(report.read_text())
    assert results["score"] == results["max_score"] == sum(c.points for p in (1, 2) for c in checks_for(p))
    part1 = next(s for s in results["extra_data"]["parts"] if s["part"] == 1)
    assert part1["regraded_alone"] and part1["processes"] == 2
