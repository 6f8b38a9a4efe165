"""What the grader reads of its container, from faked /proc and cgroup trees (cgroup v1 and v2):
the memory limit, the CPU quota, the out-of-memory kills, and the parts and learners it grades
at once. The grading itself under a real memory cgroup is in test_memory.py."""

import pytest

from autograder.checkkit import limits
from autograder.supervise import cli, container
from classroom import local

MB = 2**20
PARTS = [1, 2, 3]


def fake(tmp_path, memberships, mounts, files, cpus="0-7", memory_gb=64):
    """A /proc (self/cgroup, self/mountinfo, self/status, meminfo) and cgroup folders under
    tmp_path; `mounts` are (root, mount point under tmp_path, fstype, super options)."""
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text("".join(line + "\n" for line in memberships))
    (proc / "self" / "mountinfo").write_text("".join(
        f"{30 + i} 25 0:{26 + i} {root} {tmp_path / point} rw,nosuid - {fstype} {fstype} {options}\n"
        for i, (root, point, fstype, options) in enumerate(mounts)))
    (proc / "self" / "status").write_text(f"Name:\tpython\nCpus_allowed_list:\t{cpus}\n")
    (proc / "meminfo").write_text(f"MemTotal:       {memory_gb * 2**20} kB\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return proc


def docker_v1(tmp_path, memory_mb=768, quota="150000", oom_kills=0, cpus="0-7"):
    """A Docker container on cgroup v1: the mounts show only the container's own subtree."""
    return fake(tmp_path, ["5:memory:/docker/abc", "3:cpu,cpuacct:/docker/abc", "1:name=systemd:/docker/abc"],
                [("/docker/abc", "cg/memory", "cgroup", "rw,memory"),
                 ("/docker/abc", "cg/cpu,cpuacct", "cgroup", "rw,cpu,cpuacct")],
                {"cg/memory/memory.limit_in_bytes": f"{memory_mb * MB}\n",
                 "cg/memory/memory.stat": f"cache 0\nrss 0\nhierarchical_memory_limit {memory_mb * MB}\n",
                 "cg/memory/memory.oom_control": f"oom_kill_disable 0\nunder_oom 0\noom_kill {oom_kills}\n",
                 "cg/cpu,cpuacct/cpu.cfs_quota_us": f"{quota}\n",
                 "cg/cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, cpus=cpus)


def systemd_v2(tmp_path, memory_max="536870912", cpu_max="200000 100000", parent_max="max"):
    """A machine on cgroup v2 (the unified hierarchy), the process two levels down."""
    return fake(tmp_path, ["0::/grading.slice/run"], [("/", "unified", "cgroup2", "rw,nsdelegate")],
                {"unified/cgroup.controllers": "cpuset cpu io memory pids\n",
                 "unified/grading.slice/memory.max": f"{parent_max}\n",
                 "unified/grading.slice/cpu.max": "max 100000\n",
                 "unified/grading.slice/run/memory.max": f"{memory_max}\n",
                 "unified/grading.slice/run/memory.events": "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n",
                 "unified/grading.slice/run/cpu.max": f"{cpu_max}\n"})


def test_cgroup_v1_container_limits(tmp_path):
    """In a v1 container: its memory limit, its CPU quota in whole CPUs, its OOM kill count?"""
    proc = docker_v1(tmp_path, memory_mb=768, quota="150000", oom_kills=2)
    assert container.memory_limit(proc) == 768 * MB
    assert container.cpu_count(proc) == 1  # 1.5 CPUs of quota: one part's worth
    assert container.oom_kills(proc) == 2


def test_cgroup_v1_seen_from_the_host_takes_the_tightest_ancestor(tmp_path):
    """With the whole hierarchy mounted, is a parent's lower limit the one that counts?"""
    proc = fake(tmp_path, ["4:memory:/course/learner"], [("/", "mem", "cgroup", "rw,memory")],
                {"mem/memory.limit_in_bytes": "9223372036854771712\n",
                 "mem/course/memory.limit_in_bytes": f"{512 * MB}\n",
                 "mem/course/learner/memory.limit_in_bytes": "9223372036854771712\n"})
    assert container.memory_limit(proc) == 512 * MB
    assert container.cpu_count(proc) == 8  # no cpu controller mounted: the affinity


def test_cgroup_v2_limits(tmp_path):
    """On cgroup v2: memory.max, cpu.max ("quota period") and memory.events' oom_kill?"""
    proc = systemd_v2(tmp_path, memory_max=str(512 * MB), cpu_max="200000 100000", parent_max=str(2**30))
    assert container.memory_limit(proc) == 512 * MB
    assert container.cpu_count(proc) == 2
    assert container.oom_kills(proc) == 1
    proc = systemd_v2(tmp_path / "unlimited", memory_max="max", cpu_max="max 100000", parent_max=str(2**30))
    assert container.memory_limit(proc) == 2**30  # the parent's
    assert container.cpu_count(proc) == 8


def test_v2_without_the_memory_controller_falls_back_to_v1(tmp_path):
    """A hybrid machine (v2 mounted with only hugetlb, memory still on v1) reads v1's files?"""
    proc = fake(tmp_path, ["4:memory:/job", "0::/"],
                [("/", "unified", "cgroup2", "rw"), ("/", "mem", "cgroup", "rw,memory")],
                {"unified/cgroup.controllers": "hugetlb\n",
                 "mem/job/memory.limit_in_bytes": f"{768 * MB}\n",
                 "mem/job/memory.oom_control": "oom_kill 0\n"})
    assert container.find_cgroup("memory", proc).version == 1
    assert container.memory_limit(proc) == 768 * MB and container.oom_kills(proc) == 0


def test_no_cgroup_means_the_machine(tmp_path):
    """Without any cgroup: the machine's memory and the affinity; OOM kills unknown (None)?"""
    proc = fake(tmp_path, [], [], {}, cpus="0-3,6", memory_gb=16)
    assert container.memory_limit(proc) == 16 * 2**30
    assert container.cpu_count(proc) == 5
    assert container.oom_kills(proc) is None


@pytest.mark.parametrize("memory_mb, quota, cpus, jobs", [
    (768, "400000", "0-7", 2),   # Gradescope's default memory: two parts fit beside the server
    (512, "400000", "0-7", 1),   # one part at a time
    (4096, "150000", "0-7", 1),  # plenty of memory, 1.5 CPUs of quota
    (4096, "-1", "0-1", 2),      # no quota: the affinity
    (4096, "-1", "0-7", 3),      # never more than the parts
    (300, "-1", "0-7", 1),       # less than anything needs: still one
])
def test_parts_at_once_from_a_faked_container(tmp_path, memory_mb, quota, cpus, jobs):
    """Does `make grade` choose how many parts to grade at once from the CPUs this process may use
    and the memory limit, with the measured memory of the fork server and of a grading process?"""
    proc = docker_v1(tmp_path, memory_mb=memory_mb, quota=quota, cpus=cpus)
    assert cli.default_jobs(PARTS, proc) == jobs
    fits = (memory_mb - limits.SERVER_MB - limits.HEADROOM_MB) // limits.PROCESS_MB
    assert jobs == max(1, min(len(PARTS), container.cpu_count(proc), fits))


@pytest.mark.parametrize("memory_mb, quota, workers", [(768, "400000", 1), (4096, "400000", 4), (4096, "200000", 2)])
def test_learners_at_once_from_a_faked_container(tmp_path, memory_mb, quota, workers):
    """Does grade-batch start no more learners than the CPUs and the memory hold, a learner's
    grader being a fork server and one grading process?"""
    assert local.default_workers(docker_v1(tmp_path, memory_mb=memory_mb, quota=quota)) == workers
