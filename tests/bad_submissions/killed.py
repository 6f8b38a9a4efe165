"""Sends itself SIGKILL, as the kernel's out-of-memory killer would; but the cgroup counted no
out-of-memory kill, so it is the learner's crash, not a grading failure.

base: stub
expect: standardize_matches_numpy: error "the process was killed"
expect: *: not attempted
problem: part 1: crash
"""
import os
import signal


def standardize(x, axis=0):
    os.kill(os.getpid(), signal.SIGKILL)
