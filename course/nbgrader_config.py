"""nbgrader's settings for the course; `make release|collect|autograde|feedback|export` use them.

Every path is relative to this file, so a copy of this folder is a course of its own (the
end-to-end test grades in one). What lives here:
    source/partN/   the generated notebooks (committed; `make exercises` writes them) and, while
                    releasing or grading, copies of the helper modules (ignored by git)
    release/ submitted/ autograded/ feedback/ exchange/ gradebook.db grades.csv   (ignored by git)
"""

import os
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

HERE = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = "tf2-course"
c.CourseDirectory.root = HERE
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# A local exchange inside the course folder: release, fetch, submit, collect and feedback all
# go through it without a Jupyter server or a shared /srv/nbgrader. On a JupyterHub, point
# Exchange.root at the shared exchange instead.
c.Exchange.root = os.path.join(HERE, "exchange")
c.Exchange.timezone = "UTC"
c.ExchangeCollect.check_owner = False  # submissions are not owned by each learner's Unix user here

# The full checks, hidden ones included, sit in source/partN/autograder/checks/with_hidden/.
# Only autograde copies them; every other command (generate_assignment above all) leaves them
# out. Commands started from formgrader's web page count as "other": they never leak them.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".keras"]
if sys.argv[1:2] != ["autograde"]:
    c.CourseDirectory.ignore.append("with_hidden")

# Grading: seconds per cell (a check has its own 60 s alarm inside it, so a test cell ends well
# before); a cell that runs longer is interrupted and the rest of the notebook is still graded.
c.Execute.timeout = 120
c.OverwriteCells.add_missing_cells = True  # a deleted test cell is put back, not scored 0



class ShortenHiddenTestErrors(NbGraderPreprocessor):
    """A failed hidden test's traceback quotes the cell's lines: keep only its one-line message."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


# Feedback shows each test's outcome and message, never a hidden test's code (nbgrader's default
# feedback shows it): shorten hidden tests' tracebacks, then cut their code from the cells.
c.GenerateFeedback.preprocessors = [GetGrades, ShortenHiddenTestErrors, ClearHiddenTests,
                                    CSSHTMLHeaderPreprocessor]
