"""Turn a solution file into the learner's stub: each solution region becomes a TODO block.

The TODO instructions sit just above each region in the solution and stay; the region itself
becomes two lines that an untouched stub runs:

    # YOUR CODE HERE
    raise NotImplementedError("part1: standardize")

The grader reads that message as "not attempted yet".
"""

import re

from generate.regions import find_regions

# Learners' copies have no solutions/ folder and no `make exercises`: the header names neither.
HEADER = ("# Your file for {part_title}: fill in every `# YOUR CODE HERE` block, then run\n"
          "# `make grade PART={part}` to grade it and `make try PART={part}` to run its \"Try it\" section.\n")


def part_of(filename):
    match = re.match(r"part(\d)_", filename)
    if not match:
        raise ValueError(f"{filename}: solution files are named partN_<topic>.py")
    return int(match.group(1))


def make_stub(text, filename):
    """The stub for solution `text` (named `filename`, e.g. part1_tf2_basics.py)."""
    part = part_of(filename)
    lines = text.splitlines()
    output, cursor = [], 0
    for region in find_regions(text, filename):
        output += lines[cursor:region.begin]
        output.append(f"{region.indent}# YOUR CODE HERE")
        output.append(f'{region.indent}raise NotImplementedError("part{part}: {region.exercise}")')
        cursor = region.end + 1
    output += lines[cursor:]
    header = HEADER.format(part_title=f"Part {part}", part=part)
    return header + "\n".join(output) + "\n"
