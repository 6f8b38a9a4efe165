"""The parent: `python -m autograder` (cli.py) grades the parts side by side, each in grading
processes forked from the fork server (fork_server.py), watched record by record (child.py), with
a fresh process after each crash and a second chance alone after the machinery lost one
(part_grading.py), as many at once as the container's CPUs and memory allow (container.py).
For the learner's own loop, a store keeps each check's outcome under a key of what it depends on
(store.py, reuse.py): `make grade --store` grades only the checks whose key changed, and
`make watch` (watch.py) does so on every save, holding one warm fork server.

Runs outside the grading process and never imports TensorFlow nor the learner's code (a test
imports it and looks). May import checkkit/, feedback/, intake/ and execute/process.py (the
target it forks).
"""
