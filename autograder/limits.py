"""The limits a grading process runs under, each with why it has that value.

Measured on the CI machine's kind (TF 2.21 CPU, 2 cores): a Part 1 grading process peaks at about
2.5 GB of address space and 680 MB resident. TensorFlow reserves about 2 GB of address space
beyond what it touches, and under a 1 GB cap it spins instead of failing (../shared/TF-FACTS.md).
"""

MEMORY_BYTES = 6 * 2**30  # address space (RLIMIT_AS): ~2.5x a grading process's peak; a learner's
# runaway allocation fails with MemoryError / ResourceExhaustedError long before the machine swaps
OUTPUT_BYTES = 64 * 2**20  # largest file the process may write (RLIMIT_FSIZE): captured output
# goes through temporary files, so 100 MB of print() ends the process with SIGXFSZ
IMPORT_SECONDS = 60  # importing the learner's file (module-level code)
GRACE_SECONDS = 10  # beyond a check's own alarm before the parent kills the process (a hang in C)
PART_SECONDS = 900  # a whole part, restarts included
POLL_SECONDS = 0.2  # how often the parent looks at a quiet child
