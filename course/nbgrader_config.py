"""nbgrader's settings for the course; `make release|collect|autograde|feedback|export` use them,
and so does formgrader (`make formgrader`), whose buttons grade exactly as the commands do.

Every path is relative to this file, so a copy of this folder is a course of its own (the
end-to-end tests grade in one). What lives here:
    source/partN/   the generated notebooks (committed; `make exercises` writes them) and, while
                    releasing, copies of the helper modules the notebooks import (ignored by git)
    release/ submitted/ autograded/ feedback/ exchange/ gradebook.db grades.csv   (ignored by git)

Grading never runs a learner's notebook: handout/preprocessors/ take the place of nbgrader's
kernel execution and grades each notebook with the course's own engine (`python -m autograder`,
the same as `make grade`), hidden checks included, from the repository at TF2_COURSE_GRADER
(default: the folder above this one).
"""

import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
GRADER = os.environ.get("TF2_COURSE_GRADER") or os.path.dirname(HERE)
if GRADER not in sys.path:
    sys.path.insert(0, GRADER)

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput, DeduplicateIds, GetGrades,
    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

from handout.preprocessors.grade_with_engine import GradeWithEngine  # noqa: E402
from handout.preprocessors.review_submission import ReviewSubmission  # noqa: E402
from handout.preprocessors.shorten_hidden_test_errors import ShortenHiddenTestErrors  # noqa: E402
from handout.preprocessors.summarize_checks import SummarizeChecks  # noqa: E402
from handout.preprocessors.wrap_outputs import WrapOutputs  # noqa: E402

c = get_config()  # noqa: F821 (nbgrader provides it)

# nbgrader puts a deleted test cell back without a cell id; nbformat warns about it on every save.
warnings.filterwarnings("ignore", message="Cell is missing an id field")

c.CourseDirectory.course_id = "tf2-course"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# A local exchange inside the course folder: release, fetch, submit, collect and feedback all
# go through it without a Jupyter server or a shared /srv/nbgrader. On a JupyterHub, point
# Exchange.root at the shared exchange instead.
c.Exchange.root = os.path.join(HERE, "exchange")
c.Exchange.timezone = "UTC"
c.ExchangeCollect.check_owner = False  # submissions are not owned by each learner's Unix user here

# What never travels with a release: outputs of a notebook run in source/ (pictures, reports).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".keras",
                            "reports", "*.png"]

# Autograde: sanitise as nbgrader does (ReviewSubmission first, to note the learner's changes to
# locked cells before OverwriteCells puts them back), then grade with the engine instead of
# executing the notebook. A deleted test cell is put back and graded, not scored 0.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [ClearOutput, ReviewSubmission, DeduplicateIds,
                                      OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [GradeWithEngine, IgnorePattern, LimitOutput, SaveAutoGrades,
                                       AssignLatePenalties, CheckCellMetadata]
c.ReviewSubmission.course_root = c.GradeWithEngine.course_root = HERE
c.ReviewSubmission.grader_root = c.GradeWithEngine.grader_root = GRADER
# `make autograde` grades every learner's parts in advance, in one engine run per learner, and
# passes --GradeWithEngine.results_dir; without it (formgrader's button) each notebook is graded
# on its own. Both give the same score: a result is used only for the very module it graded.


# Feedback: a table of every check at the top, each test's outcome and message, never a hidden
# test's code (nbgrader's default feedback shows it), and messages that wrap.
c.GenerateFeedback.preprocessors = [GetGrades, SummarizeChecks, ShortenHiddenTestErrors,
                                    ClearHiddenTests, CSSHTMLHeaderPreprocessor, WrapOutputs]
