#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu 22.04).
# It makes $ROOT/venv with what grading needs and nothing more (requirements-grading.txt:
# TensorFlow, scikit-learn, matplotlib, pytest; no nbgrader or Jupyter), pinned by
# constraints.txt; run_autograder uses that venv. ROOT is /autograder; tests set AUTOGRADER_ROOT.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"

PYTHON=python3.11
if ! command -v "$PYTHON" > /dev/null; then
    apt-get update
    apt-get install -y --no-install-recommends python3.11 python3.11-venv || PYTHON=python3
fi
"$PYTHON" -m venv "$ROOT/venv"
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1  # no download cache left in the image
"$ROOT/venv/bin/python" -m pip install -q --upgrade pip
"$ROOT/venv/bin/python" -m pip install -q "@TENSORFLOW@" -r requirements-grading.txt -c constraints.txt
