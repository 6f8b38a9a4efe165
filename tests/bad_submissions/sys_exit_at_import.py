"""Calls sys.exit() while the file is imported.

base: stub
expect: *: error "could not be imported: your code raised SystemExit"
problem: part 1: import error
"""
import sys

sys.exit(0)
