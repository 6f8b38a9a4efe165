"""Where checks may leave files for the learner to look at (pictures), beside results.json.

`python -m autograder` sets AUTOGRADER_REPORTS_DIR to the folder of its report; a check writes
there with `artifact_path("part2_confusion_matrix.png")`. The paths handed out are remembered, so
that the report can say which files a check wrote (those that exist once it is over).
"""

import os
import pathlib

from autograder.checkkit.environment import ROOT

REQUESTED = []  # paths handed out since the plugin last cleared it (mutated in place, never rebound)


def artifact_path(name):
    folder = pathlib.Path(os.environ.get("AUTOGRADER_REPORTS_DIR", ROOT / "reports"))
    folder.mkdir(parents=True, exist_ok=True)
    REQUESTED.append(folder / name)
    return folder / name


def written():
    """The paths handed out since REQUESTED was cleared that now exist, in order, as strings."""
    return [str(path) for path in dict.fromkeys(REQUESTED) if path.exists()]
