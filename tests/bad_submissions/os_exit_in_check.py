"""Calls os._exit(0) inside an exercise: the process vanishes without a word; only that check is lost.

base: reference
expect: cubic_gradients_known_values: error "exited early with status 0"
expect: *: passed
problem: part 1: crash
"""
import os


def cubic_gradients(x, c):
    os._exit(0)
