"""What the course's own preprocessors share: where the course and the grader are."""

import pathlib

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

GRADER_ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


class CoursePreprocessor(NbGraderPreprocessor):
    course_root = Unicode("", help="the nbgrader course folder (where source/ lives)").tag(config=True)
    grader_root = Unicode(str(GRADER_ROOT), help="the repository whose autograder/ grades").tag(config=True)
