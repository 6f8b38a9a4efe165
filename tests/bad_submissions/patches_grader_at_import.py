"""Replaces the grader's run_check so that every check "passes".

base: stub
expect: *: error "your file replaced autograder.execute.check_runner.run_check"
problem: part 1: tampering
"""
import autograder.execute.check_runner

autograder.execute.check_runner.run_check = lambda *args, **kwargs: ("passed", "")
