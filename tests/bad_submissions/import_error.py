"""Imports a package that is not installed.

base: none
expect: *: error "could not be imported: your code raised ModuleNotFoundError"
"""
import tensorflow_addons  # noqa: F401
