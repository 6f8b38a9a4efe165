"""Grade the notebook with the course's engine and write each test cell's outcome as its output."""

import json
import pathlib
import re

from nbformat import from_dict
from nbformat.v4 import new_markdown_cell
from traitlets import Float, Unicode

from autograder.feedback.report import describe_measured
from autograder.intake import from_notebook
from handout.pregrade import module_digest, part_of, run_engine, source_notebook
from handout.preprocessors.base import CoursePreprocessor

WHERE_IN_FILE = re.compile(r"line (\d+) of your file")


class GradeWithEngine(CoursePreprocessor):
    """Grade the notebook with the course's engine and write each test cell's outcome."""

    results_dir = Unicode("", help="results computed in advance by `make autograde`").tag(config=True)
    timeout = Float(1800, help="seconds for grading one notebook").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        part = part_of(info["notebook"])
        module = from_notebook.learner_module(
            nb, source_notebook(self.course_root, info["assignment"], info["notebook"]),
            f"{info['notebook']}.ipynb")
        graded = self.computed(info, part, module) or run_engine(
            {part: module}, self.grader_root, self.timeout)[part]
        for cell in nb.cells:
            meta = from_notebook.nbgrader(cell)
            if not meta.get("grade") or meta.get("solution") or cell.cell_type != "code":
                continue
            result = check_for_cell(meta["grade_id"], graded["results"])
            outputs, summary = cell_outputs(meta["grade_id"], result, module, graded["pictures"])
            cell.outputs = [from_dict(output) for output in outputs]
            cell.execution_count = None
            cell.metadata["tf2_course"] = summary
        notes = nb.metadata.get("tf2_course", {}).get("notes", []) + module.notes + graded.get("notes", [])
        nb.metadata["tf2_course"] = {"notes": notes}
        if notes:
            nb.cells.insert(0, notes_cell(notes))
        return nb, resources

    def computed(self, info, part, module):
        """The result `make autograde` computed for this very module, if any."""
        if not self.results_dir:
            return None
        path = pathlib.Path(self.results_dir) / info["student"] / f"{info['assignment']}.json"
        if not path.is_file():
            return None
        graded = json.loads(path.read_text())
        return graded if graded.get("digest") == module_digest(part, module) else None




def hidden_label(grade_id):
    return grade_id.replace("-", " ") if grade_id.startswith("hidden-test-") else None


def check_for_cell(grade_id, results):
    """The result a test cell reports: `check_<name>` by name, `hidden-test-N` the N-th hidden."""
    if grade_id.startswith("check_"):
        return next((r for r in results if r["check"] == grade_id.removeprefix("check_")), None)
    match = re.fullmatch(r"hidden-test-(\d+)", grade_id)
    hidden = [r for r in results if r["hidden"]]
    if match and 0 < int(match.group(1)) <= len(hidden):
        return hidden[int(match.group(1)) - 1]
    return None


def located(message, module):
    """The engine's message, with "line 57 of your file" turned into the notebook cell's line."""
    def replace(match):
        return module.where(int(match.group(1))) or match.group(0)

    return WHERE_IN_FILE.sub(replace, message)


def cell_outputs(grade_id, result, module, pictures):
    """(outputs, summary metadata) of one test cell."""
    label = hidden_label(grade_id)
    if result is None:
        message = f"this copy of the grader has no check for the cell `{grade_id}`"
        return [error_output(message)], {"label": grade_id, "status": "error", "message": message}
    name = f"{result['exercise']}: {label or result['check']}"
    points = f"{result['max_score']:g}"
    if result["status"] == "passed":
        extra = describe_measured(result.get("measured") or [])
        text = f"PASS {points}/{points}  part {result['part']}, {name}" + (f" ({extra})" if extra else "")
        outputs = [{"output_type": "stream", "name": "stdout", "text": text + "\n"}]
        message = extra
    else:
        message = located(result["message"], module) or f"part {result['part']}, {name}: failed"
        outputs = [error_output(message)]
    if result["check"] == "cnn_test_accuracy":  # the learner's own trained network, drawn
        outputs += [{"output_type": "display_data", "metadata": {},
                     "data": {"image/png": data, "text/plain": name}}
                    for name, data in sorted(pictures.items())]
    return outputs, {"label": f"part {result['part']}, {name}", "status": result["status"], "message": message}


def error_output(message):
    return {"output_type": "error", "ename": "AssertionError", "evalue": message,
            "traceback": [f"AssertionError: {message}"]}


def notes_cell(notes):
    text = ("**Grading notes.** Your notebook was graded by the course's grader, which builds a "
            "file from your solution cells and grades it in a process of its own, as `make grade` "
            "grades a file; your test cells' outputs are the grader's.\n\n"
            + "\n".join(f"- {note}" for note in notes))
    return new_markdown_cell(text, metadata={"tf2_course": {"notes": True}})
