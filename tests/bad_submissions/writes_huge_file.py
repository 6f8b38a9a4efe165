"""Writes a 100 MB file: files stay capped at 64 MB, so the write fails and that check alone is
lost, with the reason; the process is not killed.

base: stub
expect: standardize_matches_numpy: error "wrote a file larger than 64 MB"
expect: *: not attempted
"""
import os
import tempfile


def standardize(x, axis=0):
    descriptor, path = tempfile.mkstemp()
    try:
        with os.fdopen(descriptor, "wb") as stream:
            for _ in range(100):
                stream.write(b"x" * 2**20)
    finally:
        os.remove(path)
