"""The operating-system sandbox of a grading process: what the learner's code may read, write,
connect to and signal, enforced by the kernel, without root.

Runs inside the grading process, right after the fork from the warm server and before the
learner's module is imported: `confine()` narrows this process and everything it starts, for
good. The parent asks `available()` before grading, to refuse or warn. Imports only the standard
library (ctypes), so that it works in a process that has imported nothing of the grader's.

Three layers, each applied where the kernel has it, and the description says which held:
- Landlock (landlock.py): files (read, write, execute: by path, every right by name), TCP bind and
  connect (ABI 4), signals and abstract Unix sockets to processes outside the sandbox (ABI 6).
- A seccomp filter: no new socket at all, but a stream socketpair(). Landlock leaves UDP open, and
  Unix sockets reached by path: the fork server listens on one (multiprocessing, Python 3.11),
  and whoever connects to it has code run unconfined. No io_uring either (it opens sockets
  without the socket() system call).
- Where the seccomp filter cannot be installed, a network namespace (unshare; with a user
  namespace when unprivileged): no network and no abstract Unix socket outside; sockets by path
  stay reachable, so available() says no.
Not covered by any: chmod, chown and utime of files the user owns (Landlock does not restrict
metadata), System V IPC, and, below ABI 6, signals to the user's other processes.

What a process forked from a TensorFlow fork server needs (scripts/probe_sandbox.py, TF 2.21):
read the venv and sys.base_prefix (resolved), /proc/self (TensorFlow aborts without it) and
/dev/urandom (std::random_device aborts without it); write the scratch folder and /dev/null; and
use_scratch(), without which AutoGraph, Keras's save and tempfile fail. Not needed: /usr, /lib*,
/etc, /sys. Refused, and not needed by the course: multiprocessing's locks and pools, joblib's
process pools (scikit-learn n_jobs > 1), which want /dev/shm; subprocesses, unless `execute`.
"""

import ctypes
import errno
import os
import platform
import struct
import tempfile

from . import landlock

READ = ("READ_FILE", "READ_DIR")
EXECUTE = READ + ("EXECUTE",)
READ_WRITE = READ + ("WRITE_FILE", "TRUNCATE", "REMOVE_DIR", "REMOVE_FILE", "MAKE_DIR", "MAKE_REG",
                     "MAKE_SOCK", "MAKE_FIFO", "MAKE_SYM", "REFER")  # not EXECUTE, MAKE_CHAR,
# MAKE_BLOCK or IOCTL_DEV: nothing in a scratch folder needs them

# seccomp: per machine, (AUDIT_ARCH_*, socket, socketpair, io_uring_setup, seccomp)
SECCOMP_MACHINES = {"x86_64": (0xC000003E, 41, 53, 425, 317),
                    "aarch64": (0xC00000B7, 198, 199, 425, 277)}
SECCOMP_MACHINES["arm64"] = SECCOMP_MACHINES["aarch64"]
PR_SET_SECCOMP, SECCOMP_MODE_FILTER, SECCOMP_GET_ACTION_AVAIL = 22, 2, 2
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
LD_ABS, JEQ, JGE, AND, RET = 0x20, 0x15, 0x35, 0x54, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, ...
X32_BIT, AF_UNIX, SOCK_STREAM, SOCK_TYPE_MASK = 0x40000000, 1, 1, 0xF
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000

_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None  # Windows: none


def available():
    """(True, what confine() would give) when the sandbox holds here; else (False, why)."""
    try:
        abi = landlock.abi_version()
    except landlock.Unavailable as why:
        return False, f"no Landlock: {why}"
    if not seccomp_available():
        return False, (f"landlock ABI {abi}, but no seccomp filter: the fork server's Unix "
                       "socket would stay reachable")
    return True, describe(abi, "no sockets (seccomp)")


def confine(read=(), read_write=(), execute=(), rules=None):
    """Confine this process and its future children; return what holds, in one line:
    "landlock ABI 7; no sockets (seccomp)", or "none (why); ..." where Landlock is missing.

    read: paths readable (files and folders beneath). read_write: also writable (the scratch
    folder, /dev/null, the report channel's files). execute: readable and executable.
    rules: {path: right names} for anything else (landlock.RIGHTS). Missing paths are skipped.
    Must run while this process has one thread: Landlock and seccomp bind only the calling
    thread and the threads and processes it starts afterwards.
    """
    if platform.system() != "Linux":
        return f"none (not Linux: {platform.system()})"
    threads = len(os.listdir("/proc/self/task"))
    if threads > 1:
        raise RuntimeError(f"confine() must run before any thread starts ({threads} running)")
    try:
        abi = landlock.abi_version()
    except landlock.Unavailable as why:
        abi, missing = None, str(why)
    landlock.no_new_privileges()
    sockets = refuse_sockets() or network_namespace()  # before Landlock, which would refuse the
    # writes to /proc/self that a user namespace needs
    if abi is None:
        return f"none ({missing}); {sockets}"
    grants = [(path, READ) for path in read] + [(path, EXECUTE) for path in execute]
    grants += [(path, READ_WRITE) for path in read_write] + list((rules or {}).items())
    ruleset = landlock.Ruleset(abi)
    for path, names in grants:
        if os.path.exists(path):
            ruleset.allow(path, names)
    ruleset.restrict_self()
    return describe(abi, sockets)


def describe(abi, sockets):
    """The one-line description of a sandbox of Landlock ABI `abi` and the `sockets` layer."""
    known = f" (rights of ABI {landlock.KNOWN_ABI})" if abi > landlock.KNOWN_ABI else ""
    parts = [f"landlock ABI {abi}{known}", sockets]
    if abi < 3:
        parts.append("files the user may write can be truncated (Landlock ABI < 3)")
    if abi < 6:
        parts.append("signals to the user's other processes allowed (Landlock ABI < 6)")
    return "; ".join(parts)


def use_scratch(scratch):
    """Point what writes files of its own at `scratch` and work there: TMPDIR (and tempfile's
    choice, which the fork server already made: AutoGraph writes the code it generates there,
    Keras a .keras file before moving it), HOME, MPLCONFIGDIR (matplotlib's font cache)."""
    for name in ("TMPDIR", "HOME", "MPLCONFIGDIR"):
        os.environ[name] = str(scratch)
    tempfile.tempdir = str(scratch)
    os.chdir(scratch)


def seccomp_available():
    """Can a seccomp filter be installed here? Asked without installing one."""
    numbers = SECCOMP_MACHINES.get(platform.machine())
    if numbers is None:
        return False
    action = ctypes.c_uint32(RET_ERRNO)
    return _libc.syscall(ctypes.c_long(numbers[4]), SECCOMP_GET_ACTION_AVAIL, 0,
                         ctypes.byref(action)) == 0


def refuse_sockets():
    """Install the seccomp filter; its description, or None where it cannot be installed."""
    numbers = SECCOMP_MACHINES.get(platform.machine())
    if numbers is None:
        return None
    arch, socket_nr, socketpair_nr, io_uring_setup_nr, _ = numbers
    denied, no_such_call = RET_ERRNO | errno.EACCES, RET_ERRNO | errno.ENOSYS
    program = [  # (code, jump if true, jump if false, k); jumps skip that many instructions
        (LD_ABS, 0, 0, 4),  # the calling convention (seccomp_data.arch)
        (JEQ, 1, 0, arch),
        (RET, 0, 0, no_such_call),  # another one (32-bit calls on x86_64) could bypass the rest
        (LD_ABS, 0, 0, 0),  # the system call's number
        (JGE, 0, 1, X32_BIT),
        (RET, 0, 0, no_such_call),  # x32 numbers, likewise
        (JEQ, 0, 1, socket_nr),
        (RET, 0, 0, denied),
        (JEQ, 0, 1, io_uring_setup_nr),
        (RET, 0, 0, no_such_call),  # libraries fall back to plain system calls
        (JEQ, 1, 0, socketpair_nr),
        (RET, 0, 0, RET_ALLOW),
        (LD_ABS, 0, 0, 16),  # socketpair's domain (low half of args[0])
        (JEQ, 0, 3, AF_UNIX),
        (LD_ABS, 0, 0, 24),  # its type (low half of args[1]), less SOCK_CLOEXEC, SOCK_NONBLOCK
        (AND, 0, 0, SOCK_TYPE_MASK),
        (JEQ, 1, 0, SOCK_STREAM),  # a stream pair is connected for good: it reaches no one
        (RET, 0, 0, denied),  # a datagram pair could sendto() any socket by path
        (RET, 0, 0, RET_ALLOW),
    ]
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    filters = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("HP", len(program), ctypes.addressof(filters))  # struct sock_fprog
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_char_p(fprog), 0, 0) != 0:
        return None
    return "no sockets (seccomp)"


def network_namespace():
    """Move into a network namespace of its own (only a loopback, down); its description."""
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWNET) == 0:
        return "no network (network namespace); Unix sockets by path reachable (no seccomp)"
    if _libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        why = os.strerror(ctypes.get_errno())
        return f"sockets not filtered (no seccomp filter; no network namespace: {why})"
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as file:  # keep the same ids inside
            file.write(text)
    return "no network (user and network namespace); Unix sockets by path reachable (no seccomp)"
