"""Where checks may leave files for the learner to look at (pictures), beside results.json.

`python -m autograder` sets AUTOGRADER_REPORTS_DIR to the folder of its report; a check writes
there with `artifact_path("part2_confusion_matrix.png")`.
"""

import os
import pathlib

from autograder.environment import ROOT


def artifact_path(name):
    folder = pathlib.Path(os.environ.get("AUTOGRADER_REPORTS_DIR", ROOT / "reports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
