"""Reads memory at address 0 through ctypes: a segmentation fault in one exercise.

base: stub
expect: second_derivative_known_functions: error "segmentation fault"
expect: *: not attempted
problem: part 1: crash
"""
import ctypes


def second_derivative(f, x):
    return ctypes.string_at(0)
