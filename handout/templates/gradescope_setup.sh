#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu 22.04).
# It makes /autograder/venv with the course's pinned packages; run_autograder uses that venv.
set -euo pipefail
cd /autograder/source

PYTHON=python3.11
if ! command -v "$PYTHON" > /dev/null; then
    apt-get update
    apt-get install -y --no-install-recommends python3.11 python3.11-venv || PYTHON=python3
fi
"$PYTHON" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install "@TENSORFLOW@" -r requirements.txt -c constraints.txt
