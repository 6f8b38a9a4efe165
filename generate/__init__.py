"""Generate what learners get from what the instructor wrote: solutions/ -> exercises/ and notebooks.

The chain: read a solution file, find its nbgrader solution regions (regions.py), and replace
each region with a stub (stubs.py) for exercises/; turn the same file into an nbgrader source
notebook whose test cells call the registered checks (notebooks.py) for course/source/; write
both without ever overwriting someone's edits (write.py).
"""
