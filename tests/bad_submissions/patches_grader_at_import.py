"""Replaces the grader's run_check so that every check "passes".

base: stub
expect: *: error "your file replaced autograder.grading.run_check"
problem: part 1: tampering
"""
import autograder.grading

autograder.grading.run_check = lambda *args, **kwargs: ("passed", "")
