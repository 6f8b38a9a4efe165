"""Which grading to read: grade-batch's results folder or nbgrader's gradebook, whichever graded
last, as the one model of a graded class (class_results.GradedClass)."""

import pathlib

from classroom.review import class_results, nbgrader_gradebook


def latest_source(batch=class_results.BATCH_RESULTS, course=pathlib.Path("course")):
    """'batch' or 'nbgrader': whichever graded last (grades.csv's or gradebook.db's time), or the
    one that exists; None when neither does."""
    times = {name: path.stat().st_mtime for name, path in
             (("batch", pathlib.Path(batch) / "grades.csv"), ("nbgrader", pathlib.Path(course) / "gradebook.db"))
             if path.is_file()}
    return max(times, key=times.get) if times else None


def load(source=None, batch=class_results.BATCH_RESULTS, course=pathlib.Path("course")):
    """The GradedClass from `source` ('batch', 'nbgrader', or None: the latest of the two)."""
    source = source or latest_source(batch, course)
    if source is None:
        raise FileNotFoundError(f"nothing graded yet: neither {pathlib.Path(batch) / 'grades.csv'} "
                                f"(make grade-batch) nor {pathlib.Path(course) / 'gradebook.db'} "
                                "(make autograde) exists")
    if source == "batch":
        return class_results.read_batch(batch)
    if source == "nbgrader":
        return nbgrader_gradebook.read_course(course)
    raise ValueError(f"unknown source {source!r}: batch or nbgrader")
