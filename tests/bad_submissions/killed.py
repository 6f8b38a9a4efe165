"""Sends itself SIGKILL, as the kernel's out-of-memory killer would.

base: stub
expect: standardize_matches_numpy: error "the process was killed"
expect: *: not attempted
"""
import os
import signal


def standardize(x, axis=0):
    os.kill(os.getpid(), signal.SIGKILL)
