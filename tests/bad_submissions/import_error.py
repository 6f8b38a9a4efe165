"""Imports a package that is not installed.

base: none
expect: *: error "could not be imported: your code raised ModuleNotFoundError"
problem: part 1: import error
"""
import tensorflow_addons  # noqa: F401
