"""README's sample output is a real run: the half-done Part 1 it shows, graded now, prints it."""

import ast
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, WRONG_ANSWERS, reference_file
from handout.helpers import copy_helpers

pytestmark = pytest.mark.slow
DONE = ("standardize", "LinearModel", "fit_linear")  # written as the reference writes them
SLIPS = ("cubic_gradients_constant_not_watched.py", "dense_layer_transposed_kernel.py")


def sample_submission(folder):
    """The learner's file the sample describes: the stub, three exercises done, two slips."""
    reference = reference_file(1).read_text()
    done = [ast.get_source_segment(reference, node) for node in ast.parse(reference).body
            if getattr(node, "name", None) in DONE]
    slips = [(WRONG_ANSWERS / "part1" / name).read_text() for name in SLIPS]
    text = "\n\n\n".join([(ROOT / "exercises" / "part1_tf2_basics.py").read_text(), *done, *slips])
    (folder / "part1_tf2_basics.py").write_text(text)


def readme_sample():
    """The first `text` block of README's step 3, without the list's indent."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"3\. Run `make grade PART=1`.*?```text\n(.*?)\n\s*```", readme, re.DOTALL)[1]
    return [line.removeprefix("   ") for line in block.splitlines()]


def comparable(line):
    """Line numbers and measured values vary with the stub's length and the CPU: not compared."""
    return re.sub(r"\d+\.\d+", "#", re.sub(r"line \d+ of your file", "line # of your file", line))


def test_readme_sample_output_is_a_real_run(tmp_path):
    """Does each run of lines of README's sample (between its "..." lines) appear, in order, in
    the output of grading the submission it describes, from a folder named as a learner's, by the
    grader learners get (hidden checks cut out, so Part 1 is worth what it is worth to them)?"""
    (tmp_path / "exercises").mkdir()
    sample_submission(tmp_path / "exercises")
    copy_helpers(ROOT, tmp_path, hidden="strip")
    result = subprocess.run([sys.executable, "-m", "autograder", "--part", "1", "--submission",
                             "exercises", "--report", str(tmp_path / "results.json")],
                            cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(tmp_path)),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    output = [comparable(line) for line in result.stdout.splitlines()]
    segments, current = [], []
    for line in readme_sample():
        if line.strip() == "...":
            segments.append(current)
            current = []
        else:
            current.append(comparable(line))
    segments.append(current)
    start = 0
    for segment in segments:
        found = next((i for i in range(start, len(output) - len(segment) + 1)
                      if output[i:i + len(segment)] == segment), None)
        assert found is not None, ("README sample lines not in a real run:", segment, result.stdout)
        start = found + len(segment)
