"""Generate what learners get from what the instructor wrote: solutions/ -> exercises/ (stubs).

The chain: read a solution file (source.py), find its nbgrader solution regions (regions.py),
and replace each region with a stub (stubs.py); write the result without ever overwriting a
learner's work (write.py).
"""
