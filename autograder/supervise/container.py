"""What this process may use: CPUs and memory, as its container (cgroup v1 or v2) allows.

In a container (Gradescope's, a CI runner's, Docker's), `os.cpu_count()` and /proc/meminfo show
the host's cores and memory; the real limits are the CPU affinity and the process's cgroup:
    cgroup v1   cpu.cfs_quota_us / cpu.cfs_period_us,  memory.limit_in_bytes,  memory.oom_control
    cgroup v2   cpu.max,                               memory.max,             memory.events
Every reader takes `proc` (normally /proc) so that tests can hand it a faked tree; the cgroup
folders are found through proc/self/mountinfo, the way the kernel shows them to this process.

The grader reads the memory limit before it starts parts side by side (cli.py) and the count
of out-of-memory kills to tell a grading process the kernel killed from a learner's crash.

Why not joblib's `loky.cpu_count()`: it reads only the mount's root (/sys/fs/cgroup/cpu.max or
cpu/cpu.cfs_quota_us), not this process's own cgroup nor its ancestors (a CI runner's slice, a
systemd unit), and rounds a quota of 1.5 CPUs up to 2 where two busy parts would then share 1.5;
no library reads cgroup memory limits or out-of-memory kills, so both stay here.
`MemoryCgroup` creates a cgroup with a memory limit: the tests and `make bench` grade in one.
"""

import dataclasses
import math
import os
import pathlib
import secrets
import time

PROC = pathlib.Path("/proc")
UNLIMITED = 2**60  # cgroup v1 writes "no limit" as a page-rounded 2**63 - 1


@dataclasses.dataclass(frozen=True)
class Cgroup:
    """One controller's folder for this process: version 1 or 2, `path` its folder, `top` the
    mount point (the highest folder this process can see; limits are looked up to it)."""

    version: int
    path: pathlib.Path
    top: pathlib.Path

    def read(self, name, folder=None):
        try:
            return ((folder or self.path) / name).read_text()
        except OSError:
            return None

    def folders(self):
        """This cgroup's folder and each parent up to the mount point."""
        folder = self.path
        while True:
            yield folder
            if folder == self.top or self.top not in folder.parents:
                return
            folder = folder.parent


def unescape(field):
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040)."""
    for code in ("\\040", "\\011", "\\012", "\\134"):
        field = field.replace(code, chr(int(code[1:], 8)))
    return field


def find_cgroup(controller, proc=PROC):
    """This process's cgroup for `controller` ("memory" or "cpu"), or None where none is mounted."""
    try:
        memberships = (proc / "self" / "cgroup").read_text().splitlines()
        mounts = (proc / "self" / "mountinfo").read_text().splitlines()
    except OSError:
        return None
    v1_paths, v2_path = {}, None
    for line in memberships:  # "4:memory:/docker/abc", "0::/user.slice"
        number, controllers, path = line.split(":", 2)
        if number == "0" and controllers == "":
            v2_path = path
        for name in controllers.split(","):
            v1_paths[name] = path
    for line in mounts:
        fields = line.split()
        dash = fields.index("-")
        root, mount_point = unescape(fields[3]), pathlib.Path(unescape(fields[4]))
        fstype, options = fields[dash + 1], fields[dash + 3].split(",")
        if fstype == "cgroup" and controller in options and controller in v1_paths:
            return Cgroup(1, inside(mount_point, root, v1_paths[controller]), mount_point)
        if fstype == "cgroup2" and v2_path is not None:
            found = Cgroup(2, inside(mount_point, root, v2_path), mount_point)
            if controller in (found.read("cgroup.controllers", mount_point) or "").split():
                return found  # v2 mounted, but a controller still bound to v1 is not in it
    return None


def inside(mount_point, root, path):
    """The folder of cgroup `path` under a mount of the hierarchy's `root` (a container often
    mounts only its own subtree, and /proc/self/cgroup may name it from the host's root)."""
    relative = os.path.relpath(path, root) if path.startswith(root) else "."
    return mount_point if relative == "." else mount_point / relative


def memory_limit(proc=PROC):
    """The bytes this process and its children may use: the tightest cgroup limit on the way to
    the mount point, or the machine's memory where none is set."""
    limits = [physical_memory(proc)]
    group = find_cgroup("memory", proc)
    if group is not None:
        name = "memory.limit_in_bytes" if group.version == 1 else "memory.max"
        for folder in group.folders():
            value = (group.read(name, folder) or "max").strip()
            if value.isdigit() and int(value) < UNLIMITED:
                limits.append(int(value))
        if group.version == 1:  # the kernel's own answer, ancestors this process cannot see included
            hierarchical = field(group.read("memory.stat"), "hierarchical_memory_limit")
            if hierarchical is not None and hierarchical < UNLIMITED:
                limits.append(hierarchical)
    return min(v for v in limits if v)


def physical_memory(proc=PROC):
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_count(proc=PROC):
    """The CPUs this process may keep busy: its affinity, lowered by a cgroup CPU quota (whole
    CPUs, at least one)."""
    count = affinity(proc)
    group = find_cgroup("cpu", proc)
    if group is None:
        return count
    for folder in group.folders():
        if group.version == 1:
            quota, period = group.read("cpu.cfs_quota_us", folder), group.read("cpu.cfs_period_us", folder)
        else:
            quota, _, period = (group.read("cpu.max", folder) or "max").strip().partition(" ")
        try:
            quota, period = int(quota), int(period)
        except (TypeError, ValueError):  # "max", -1 or no file: no quota at this level
            continue
        if quota > 0 and period > 0:
            count = min(count, max(1, math.floor(quota / period)))
    return count


def affinity(proc=PROC):
    """How many CPUs this process may run on (Cpus_allowed_list: "0-3,6" is 5)."""
    try:
        for line in (proc / "self" / "status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                spans = [span.split("-") for span in line.split(":", 1)[1].strip().split(",")]
                return sum(int(span[-1]) - int(span[0]) + 1 for span in spans)
    except (OSError, ValueError):
        pass
    return len(os.sched_getaffinity(0))


def oom_kills(proc=PROC):
    """How many processes of this cgroup the kernel's out-of-memory killer has ended so far, or
    None where the count cannot be read (no cgroup, a kernel before 4.13)."""
    group = find_cgroup("memory", proc)
    return None if group is None else oom_kill_count(group)


def oom_kill_count(group):
    return field(group.read("memory.oom_control" if group.version == 1 else "memory.events"), "oom_kill")


def field(text, key):
    """The number on the line `key <number>` of a cgroup file (memory.stat, memory.events), or None."""
    for line in (text or "").splitlines():
        name, _, value = line.partition(" ")
        if name == key and value.strip().isdigit():
            return int(value)
    return None


class CgroupUnavailable(Exception):
    """This machine does not let this process create a memory cgroup; the message says why."""


class MemoryCgroup:
    """A new memory cgroup with a limit, for commands started with `preexec_fn=group.join`.

    Needs root (or a delegated cgroup): v1's memory hierarchy, or v2 with the memory controller.
    Raises CgroupUnavailable with the reason otherwise.
    """

    def __init__(self, limit_bytes=None, proc=PROC):
        mounted = find_cgroup("memory", proc)
        if mounted is None:
            raise CgroupUnavailable("no memory cgroup controller is mounted (v1 or v2)")
        self.group = Cgroup(mounted.version, mounted.top / f"autograder-{secrets.token_hex(4)}", mounted.top)
        try:
            if self.group.version == 2:
                (mounted.top / "cgroup.subtree_control").write_text("+memory")
            self.group.path.mkdir()
            if limit_bytes is not None:
                name = "memory.limit_in_bytes" if self.group.version == 1 else "memory.max"
                (self.group.path / name).write_text(str(limit_bytes))
        except OSError as error:
            self.remove()
            raise CgroupUnavailable(f"cannot create a memory cgroup under {mounted.top}: {error}") from None

    def join(self):
        """Move the calling process into the cgroup (as a subprocess's preexec_fn)."""
        (self.group.path / "cgroup.procs").write_text(str(os.getpid()))

    def peak_bytes(self):
        """The most memory the cgroup was charged at once (page cache included), or None."""
        text = self.group.read("memory.max_usage_in_bytes" if self.group.version == 1 else "memory.peak")
        return int(text) if text and text.strip().isdigit() else None

    def anonymous_bytes(self):
        """Its anonymous memory now (what no limit can reclaim from it, with no swap), or None."""
        return field(self.group.read("memory.stat"), "total_rss" if self.group.version == 1 else "anon")

    def oom_kills(self):
        return oom_kill_count(self.group)

    def remove(self, wait_seconds=10):
        """Delete the cgroup once its processes are gone (they take a moment to exit)."""
        deadline = time.monotonic() + wait_seconds
        while self.group.path.exists():
            try:
                self.group.path.rmdir()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
