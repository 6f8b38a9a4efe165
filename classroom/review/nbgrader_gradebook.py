"""A class graded by `make autograde`, read from nbgrader's gradebook into class_results' model.

    course/gradebook.db                       each learner's score on each test cell (nbgrader's
                                              own, manual adjustments in formgrader included)
    course/autograded/<student>/<partN>/*.ipynb   each test cell's outcome as the course's engine
                                              wrote it: cell metadata tf2_course {label, status,
                                              message}; notebook metadata tf2_course {notes}

Which check a test cell grades is read from the course's source notebook, whose test cells call
`grade_cell(part, '<check>', globals())` (hidden ones too, between their markers): no check
module is imported, nor TensorFlow with it; its exercise is the solution cell before it. A
passing cell's message is what the check measured (report.describe_measured), read back into
numbers here. nbgrader keeps no grading time or memory, and a failing check's measured value
only inside its sentence: GradedClass.notes says so, and the report shows those columns empty.

Instructor-side; imported by classroom.review.sources only. Reads files, runs nothing.
"""

import json
import pathlib
import re

from autograder.feedback.report import part_problem
from autograder.intake import from_notebook
from classroom.review.class_results import GradedClass, Learner, Outcome, checks_in_order

MEASURED = re.compile(r"^(?P<label>.+?) (?P<values>-?[\d.]+(?:e[-+]?\d+)?(?:, -?[\d.]+(?:e[-+]?\d+)?)*) "
                      r"\(needs (?P<bound>at least|at most) (?P<threshold>-?[\d.]+(?:e[-+]?\d+)?)\)$")
GRADE_CELL = re.compile(r"grade_cell\(\d+, ['\"](?P<check>\w+)['\"]")
NOTES = ["nbgrader records no grading time or memory: those columns are empty.",
         "nbgrader's notebooks keep a failing check's sentence, not its value: the distributions "
         "of measured values hold passing checks only."]


def measured_from_message(message):
    """[{what, value, threshold, at_most}] from report.describe_measured's sentence
    ('held-out accuracy 0.983 (needs at least 0.92)'; several joined by '; '), [] otherwise."""
    found = []
    for piece in filter(None, (message or "").split("; ")):
        match = MEASURED.match(piece)
        if not match:
            return []
        for value in match["values"].split(", "):
            found.append({"what": match["label"], "value": float(value),
                          "threshold": float(match["threshold"]), "at_most": match["bound"] == "at most"})
    return found


def part_number(assignment):
    match = re.fullmatch(r"part(\d+)", assignment)
    return int(match[1]) if match else None


def cell_checks(course, assignment):
    """{test cell's grade id: (exercise, check)} from the assignment's source notebooks, in order."""
    found = {}
    for path in sorted((pathlib.Path(course) / "source" / assignment).glob("*.ipynb")):
        exercise = "?"
        for cell in from_notebook.read(path)["cells"]:
            kind = from_notebook.kind(cell)
            if kind == "solution":
                exercise = from_notebook.nbgrader(cell)["grade_id"]
            elif kind == "test":
                match = GRADE_CELL.search(from_notebook.text_of(cell))
                if match:
                    found[from_notebook.nbgrader(cell)["grade_id"]] = (exercise, match["check"])
    return found


def autograded_cells(course, student, assignment):
    """({grade_id: tf2_course metadata}, notes) of a learner's autograded notebooks."""
    cells, notes = {}, []
    for path in sorted((pathlib.Path(course) / "autograded" / student / assignment).glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        notes += notebook.get("metadata", {}).get("tf2_course", {}).get("notes", [])
        for cell in notebook.get("cells", []):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id and "tf2_course" in cell.get("metadata", {}):
                cells[grade_id] = cell["metadata"]["tf2_course"]
    return cells, notes


def outcomes_of(submission, part, cells, checks):
    """The Outcomes of one submitted assignment: scores from the gradebook, words from the
    notebook, checks from the source notebook (`checks`: cell_checks), in the notebook's order."""
    outcomes = []
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            if grade.cell_type != "code" or grade.max_score == 0:
                continue
            exercise, check = checks.get(grade.name, ("?", grade.name))
            said = cells.get(grade.name, {})
            score = float(grade.score or 0)
            status = said.get("status") or ("passed" if score == grade.max_score else "failed")
            message = said.get("message", "")
            outcomes.append(Outcome(part=part, exercise=exercise, check=check, score=score,
                                    max_score=float(grade.max_score), status=status,
                                    message="" if status == "passed" else message,
                                    measured=measured_from_message(message) if status == "passed" else []))
    order = {grade_id: i for i, grade_id in enumerate(checks)}
    by_check = {check: grade_id for grade_id, (_, check) in checks.items()}
    return sorted(outcomes, key=lambda o: order.get(by_check.get(o.check), len(order)))


def read_course(course):
    """The GradedClass of an nbgrader course that `make autograde` graded."""
    from nbgrader.api import Gradebook, MissingEntry

    course = pathlib.Path(course)
    database = course / "gradebook.db"
    if not database.is_file():
        raise FileNotFoundError(f"no {database}: run `make release`, `make collect` and `make autograde` first")
    learners = []
    with Gradebook(f"sqlite:///{database.resolve()}") as gradebook:
        assignments = [(a.name, part_number(a.name)) for a in gradebook.assignments if part_number(a.name)]
        checks = {assignment: cell_checks(course, assignment) for assignment, _ in assignments}
        for student in sorted(gradebook.students, key=lambda s: s.id):
            learner = Learner(student.id, [], [], set(),
                              full_name=" ".join(filter(None, [student.first_name, student.last_name])),
                              email=student.email or "")
            for assignment, part in sorted(assignments, key=lambda a: a[1]):
                try:
                    submission = gradebook.find_submission(assignment, student.id)
                except MissingEntry:
                    continue
                cells, notes = autograded_cells(course, student.id, assignment)
                outcomes = outcomes_of(submission, part, cells, checks[assignment])
                learner.outcomes += outcomes
                learner.submitted.add(part)
                problem = part_problem([{"part": part, "exercise": o.exercise, "status": o.status,
                                         "message": o.message} for o in outcomes])
                if problem:
                    learner.problems.append(f"part {part}: {problem.split('. ')[0]}")
                learner.problems += [f"part {part}: {note}" for note in notes]
            if not learner.submitted:
                learner.problems.append("no submission")
            learners.append(learner)
    return GradedClass(f"nbgrader gradebook {database}", learners, checks_in_order(learners), list(NOTES))
