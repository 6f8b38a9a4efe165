"""Landlock, the Linux security module that lets an unprivileged process confine itself and its
future children: its three system calls, the rights each ABI version adds, and a ruleset.

Runs inside the grading process (sandbox.py calls it), after the fork and before the learner's
code is imported. Imports only the standard library (ctypes): nothing of the grader's.

A ruleset *handles* some rights: those are denied everywhere except beneath the paths that a rule
grants them to. Rights the ruleset does not handle stay allowed, so every right the running
kernel knows is handled (a kernel rejects a ruleset naming a right it does not know: ask only
for those of its ABI). A domain can only be narrowed: nothing the process does later, exec
included, lifts it, and its forks inherit it.

Why not a binding from PyPI: the `landlock` package is a development release (1.0.0.dev5, May
2025) and the others (`landlockpy`, `py-landlock`) are months old; a grader's security boundary
should not hang on them when three system calls and a table of bits do the job here.
"""

import ctypes
import errno
import os
import platform

# The one table: each right, the ABI version (kernel) that added it, and what the course does
# with it. Every right of ABI 1-6 is handled: denied unless a path's rule grants it.
#  ABI kind     name                    bit        the course
RIGHTS = [
    (1, "fs", "EXECUTE", 1 << 0),  # 5.13: execve; granted only under `execute` paths
    (1, "fs", "WRITE_FILE", 1 << 1),  # open for writing; only the scratch folder (read_write)
    (1, "fs", "READ_FILE", 1 << 2),  # open for reading; read, execute, read_write paths
    (1, "fs", "READ_DIR", 1 << 3),  # list a folder; read, execute, read_write paths
    (1, "fs", "REMOVE_DIR", 1 << 4),  # rmdir, rename away; read_write only
    (1, "fs", "REMOVE_FILE", 1 << 5),  # unlink, rename away; read_write only
    (1, "fs", "MAKE_CHAR", 1 << 6),  # mknod of a character device; read_write only
    (1, "fs", "MAKE_DIR", 1 << 7),  # mkdir; read_write only
    (1, "fs", "MAKE_REG", 1 << 8),  # create a regular file; read_write only
    (1, "fs", "MAKE_SOCK", 1 << 9),  # bind a Unix socket to a path; read_write only
    (1, "fs", "MAKE_FIFO", 1 << 10),  # mkfifo; read_write only
    (1, "fs", "MAKE_BLOCK", 1 << 11),  # mknod of a block device; read_write only
    (1, "fs", "MAKE_SYM", 1 << 12),  # symlink; read_write only
    (2, "fs", "REFER", 1 << 13),  # 5.19: link or rename across folders; read_write only (ABI 1
    # refuses it everywhere, scratch included: EXDEV, which shutil.move survives by copying)
    (3, "fs", "TRUNCATE", 1 << 14),  # 6.2: truncate, open with O_TRUNC; read_write only (below
    # ABI 3, any file the user may write can be truncated by path: describe() says so)
    (4, "net", "BIND_TCP", 1 << 0),  # 6.7: bind a TCP port; never granted
    (4, "net", "CONNECT_TCP", 1 << 1),  # connect to a TCP port; never granted
    (5, "fs", "IOCTL_DEV", 1 << 15),  # 6.10: ioctl on a device opened later; never granted
    (6, "scope", "ABSTRACT_UNIX_SOCKET", 1 << 0),  # 6.12: connect to an abstract Unix socket
    # outside the domain; scoped (refused)
    (6, "scope", "SIGNAL", 1 << 1),  # signal a process outside the domain; scoped (refused)
    (7, "log", "LOG_SAME_EXEC_OFF", 1 << 0),  # 6.15: audit-logging flags of restrict_self, not
    (7, "log", "LOG_NEW_EXEC_ON", 1 << 1),  # rights; unused: the kernel's default logging
    (7, "log", "LOG_SUBDOMAINS_OFF", 1 << 2),
]
KNOWN_ABI = max(abi for abi, *_ in RIGHTS)  # a newer kernel gets this ABI's rights, no more
FILE_RIGHTS = {"EXECUTE", "WRITE_FILE", "READ_FILE", "TRUNCATE", "IOCTL_DEV"}  # the rest are
# folder rights: the kernel refuses them in a rule for a file

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # x86_64 and arm64 alike
MACHINES = {"x86_64", "aarch64", "arm64"}  # the generic table's numbers (run on x86_64 only)
CREATE_RULESET_VERSION = 1 << 0
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

WHY = {  # errno of the version query -> why there is no Landlock here
    errno.ENOSYS: "the kernel has no Landlock (older than 5.13, or built without it) (ENOSYS)",
    errno.EOPNOTSUPP: "Landlock is built in but not enabled at boot (lsm=) (EOPNOTSUPP)",
    errno.EPERM: "a seccomp filter refuses the Landlock calls (a container's profile?) (EPERM)",
}

_libc = ctypes.CDLL(None, use_errno=True) if os.name == "posix" else None  # Windows: none
if _libc is not None:
    _libc.syscall.restype = ctypes.c_long


class Unavailable(OSError):
    """Landlock cannot be used here; str() says why in one line."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # packed in the kernel's header: 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall(number, *args):
    ctypes.set_errno(0)
    result = _libc.syscall(ctypes.c_long(number), *args)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


def abi_version():
    """The running kernel's Landlock ABI version; raises Unavailable with the reason."""
    if platform.system() != "Linux":
        raise Unavailable(f"not Linux ({platform.system()}): Landlock is Linux's")
    if platform.machine() not in MACHINES:
        raise Unavailable(f"Landlock's system call numbers are not known here ({platform.machine()})")
    try:
        return _syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0),
                        ctypes.c_uint32(CREATE_RULESET_VERSION))
    except OSError as error:
        raise Unavailable(WHY.get(error.errno, f"the Landlock version query failed: {error}")) from None


def rights(kind, abi, names=None):
    """The bits of `kind` ("fs", "net", "scope") that ABI `abi` knows, of `names` if given."""
    known = {name: bit for added, k, name, bit in RIGHTS if k == kind and added <= abi}
    unknown = set(names or ()) - {name for _, k, name, _ in RIGHTS if k == kind}
    if unknown:
        raise ValueError(f"no Landlock {kind} right named {sorted(unknown)}")
    return sum(bit for name, bit in known.items() if names is None or name in names)


def no_new_privileges():
    """Set no_new_privs: Landlock and seccomp demand it of an unprivileged process, so that a
    set-user-ID program run later cannot gain what the sandbox took away."""
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")


class Ruleset:
    """Every right of ABI `abi` handled (denied); `allow` grants some beneath a path;
    `restrict_self` applies it to this thread and everything it starts from then on."""

    def __init__(self, abi):
        self.abi = min(abi, KNOWN_ABI)
        self.handled_fs = rights("fs", self.abi)
        attr = _RulesetAttr(self.handled_fs, rights("net", self.abi), rights("scope", self.abi))
        size = 8 if self.abi < 4 else 16 if self.abi < 6 else 24  # what that ABI's struct holds
        self.fd = _syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))

    def allow(self, path, names):
        """Grant the fs rights `names` (those the ABI knows) beneath `path`, a file or folder."""
        wanted = set(names) if os.path.isdir(path) else set(names) & FILE_RIGHTS
        granted = rights("fs", self.abi, wanted) & self.handled_fs
        if not granted:
            return
        parent = os.open(path, os.O_PATH | os.O_CLOEXEC)
        try:
            attr = _PathBeneathAttr(granted, parent)
            _syscall(SYS_ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(RULE_PATH_BENEATH),
                     ctypes.byref(attr), ctypes.c_uint32(0))
        finally:
            os.close(parent)

    def restrict_self(self):
        try:
            _syscall(SYS_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0))
        finally:
            os.close(self.fd)
