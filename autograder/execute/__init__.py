"""What runs in the grading process beside the learner's code: the process's body (process.py:
its session, limits and descriptors, the sandbox, then pytest), the operating-system sandbox
(sandbox.py over landlock.py and a seccomp filter), the pytest plugin (plugin.py,
test_checks.py), running one check under its alarm (check_runner.py), importing the learner's
module or running a notebook's cells (learner_module.py), the tamper guard (tamper_guard.py), and
what the fork server imports once for every grading process (preload.py). The notebooks' test
cells call the same checks in the learner's kernel (notebook.py: formative, never a grade).

This is the one place where the learner's code runs, and so the one place the sandbox wraps.
May import checkkit/, checks/, feedback/, intake/ and coursekit/; the parent imports only
process.py, whose module level imports nothing heavy, and sandbox.py (the standard library only).
"""
