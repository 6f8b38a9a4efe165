"""Forks processes that linger (guarded: 20 at most, each sleeping 120 s, so a broken grader
cannot take the machine down). The check is graded and no process is left behind.

base: stub
expect: standardize_matches_numpy: error "your code raised RuntimeError: forked"
expect: *: not attempted
"""
import os
import time


def standardize(x, axis=0):
    for _ in range(20):
        if os.fork() == 0:
            time.sleep(120)
            os._exit(0)
    raise RuntimeError("forked")
