"""The limits a grading process runs under, each with why it has that value.

Measured on the CI machine's kind (TF 2.21 CPU, 2 cores): a Part 1 grading process peaks at about
2.5 GB of address space and 680 MB resident. TensorFlow reserves about 2 GB of address space
beyond what it touches, and under a 1 GB cap it spins instead of failing (../shared/TF-FACTS.md).
"""

MEMORY_BYTES = 6 * 2**30  # address space (RLIMIT_AS): ~2.5x a grading process's peak; a learner's
# runaway allocation fails with MemoryError / ResourceExhaustedError long before the machine swaps
FILE_BYTES = 64 * 2**20  # largest file the learner's code may write (RLIMIT_FSIZE); past it a
# write fails with EFBIG. Printing is not capped this way: output goes through a pipe (below)
OUTPUT_KEPT_BYTES = 2**20  # what a part's output keeps beside the report; the rest is counted
IMPORT_SECONDS = 60  # importing the learner's file (module-level code); a check's own limit is
# its budget (budgets.py)
CELL_SECONDS = 30  # one cell of a notebook, run as Jupyter runs it (execute/learner_module.py):
# past it, the statement running and the cell's other statements that are not definitions are
# left out (a quick training run at the top level takes a minute in Jupyter at most; the
# reference's cells take under 2 s each)
NOTEBOOK_SECONDS = 120  # all the cells of a notebook: once spent, the cells left run their
# definitions only
GRACE_SECONDS = 3  # beyond a check's own alarm before the parent kills the process (a hang in C,
# where the alarm cannot interrupt): the alarm's own report needs well under a second, and a
# process killed a little early costs only a restart, never a verdict
PART_SECONDS = 900  # a whole part, restarts included
POLL_SECONDS = 0.2  # how often the parent looks at a quiet child

# Memory a grading run needs, to decide how many parts fit side by side (run.default_jobs) and
# how many learners (classroom/local.py). Measured in a memory cgroup (anonymous memory, the part no limit
# can reclaim; BENCHMARKS.md, "Memory in a container"), reference solutions, 2026-11-29:
SERVER_MB = 280  # the fork server once TensorFlow and the checks are imported (measured 272 MB)
PROCESS_MB = 180  # what grading one part adds at its peak, the parent included (largest: Part 2,
# 452-453 MB alone, 180 MB over the server alone)
HEADROOM_MB = 64  # TensorFlow's code pages: with cold caches the cgroup is charged over 1.1 GB of
# page cache for the import alone, but it is reclaimable; one part at a time was graded in full
# under 512 MB and 448 MB (a few kills there, each graded again), not under 400 MB
