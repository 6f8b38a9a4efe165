"""The course's autograder: checks (checks/), a pytest plugin (plugin.py), a runner (run.py)."""
