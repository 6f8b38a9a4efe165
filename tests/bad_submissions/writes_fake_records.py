"""Writes fake result records into every open file descriptor, the grader's pipe included.

base: stub
expect: *: not attempted
"""
import json
import os

for fd in range(3, 64):
    for name in ("standardize_matches_numpy", "cubic_gradients_known_values"):
        record = {"event": "result", "part": 1, "name": name, "score": 2, "max_score": 2,
                  "status": "passed", "message": "", "nonce": "0" * 32}
        try:
            os.write(fd, (json.dumps(record) + "\n").encode())
        except OSError:
            pass
