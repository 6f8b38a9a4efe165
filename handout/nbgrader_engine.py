"""nbgrader's autograde, with the grade coming from the course's own engine, not a kernel.

nbgrader normally executes each submitted notebook in a Jupyter kernel and scores a test cell by
whether it raised. Then a learner's cell can change what a test cell does (one line replacing
`grade_cell` made every later test pass). Here nothing of the learner's runs in nbgrader's
process or in a kernel: course/nbgrader_config.py puts two preprocessors into autograde.

    ReviewSubmission   (sanitising, before nbgrader's OverwriteCells) notes what the learner did
                       to test and read-only cells, and quietly restores the hidden test cells
                       as they were released, so that only real edits reach nbgrader's warnings
    GradeWithEngine    (in place of nbgrader's Execute) turns the notebook into a module
                       (autograder/from_notebook.py), grades it with `python -m autograder`:
                       child processes, limits, tamper guard, hidden checks, and writes each test
                       cell's outcome as its output: a PASS line, or an error with the one-line
                       message. nbgrader's SaveAutoGrades then scores the cells as usual, so the
                       gradebook, formgrader, feedback and export work unchanged.

Formgrader's Autograde button loads the same config, so it grades the same way. `make autograde`
first grades each learner's parts in one run of the engine (`pregrade`: JOBS learners at a time,
each on a warm grader that imported TensorFlow once for all its learners, autograder/worker.py)
and hands nbgrader the results; the preprocessor uses a result
only when it was computed from the very module it builds itself, and grades otherwise.

For the feedback: `SummarizeChecks` puts a table of every test cell, named by its check, at the
top; `WrapOutputs` makes long messages wrap instead of running off the page.
"""

import base64
import hashlib
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time

from nbformat import from_dict
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Unicode

from autograder import batch_progress, from_notebook, worker
from autograder.registry import PARTS
from autograder.report import describe_measured

ROOT = pathlib.Path(__file__).resolve().parent.parent
PICTURES = {"part2_samples.png", "part2_training_curves.png", "part2_confusion_matrix.png"}
WHERE_IN_FILE = re.compile(r"line (\d+) of your file")


class GradingFailed(RuntimeError):
    """The engine itself could not grade (not the learner's doing); nbgrader reports it."""


# ---------------------------------------------------------------- notebooks and parts
def part_of(notebook_name):
    """The part a notebook belongs to, from its name (`part1_tf2_basics`)."""
    for part, name in PARTS.items():
        if notebook_name == name:
            return part
    match = re.match(r"part(\d+)_", notebook_name)
    if match and int(match.group(1)) in PARTS:
        return int(match.group(1))
    raise GradingFailed(f"{notebook_name}: not a notebook of this course (partN_<topic>.ipynb)")


def source_notebook(course, assignment, notebook):
    """The instructor's source notebook: its locked code and the order of its cells."""
    return from_notebook.read(pathlib.Path(course) / "source" / assignment / f"{notebook}.ipynb")


def module_digest(part, source):
    return hashlib.sha256(f"part{part}\n{source}".encode()).hexdigest()


# ---------------------------------------------------------------- the engine
def run_engine(modules, grader_root=ROOT, timeout=1800, grader=None):
    """Grade {part: module source} in one run of the engine: `python -m autograder`, or a warm
    grader's (autograder/worker.py) when `grader` is one.

    Returns {part: {"digest", "results": [per-check dicts], "pictures": {name: base64 PNG}}}.
    Raises GradingFailed when the engine could not grade (exit status other than 0).
    """
    with tempfile.TemporaryDirectory(prefix="nbgrader-engine-") as work:
        work = pathlib.Path(work)
        submission = work / "submission"
        submission.mkdir()
        for part, source in modules.items():
            (submission / f"{PARTS[part]}.py").write_text(source)
        report = work / "reports" / "results.json"
        argv = ["--submission", str(submission), "--report", str(report)] + [
            a for p in sorted(modules) for a in ("--part", str(p))]
        try:
            if grader is None:
                done = subprocess.run([sys.executable, "-m", "autograder", *argv], cwd=grader_root,
                                      env=worker.grader_environment(grader_root), stdin=subprocess.DEVNULL,
                                      capture_output=True, text=True, timeout=timeout)
                status, output = done.returncode, done.stderr or done.stdout
            else:
                answer = grader.grade(argv, timeout)
                status, output = answer["status"], answer["output"]
        except subprocess.TimeoutExpired:
            raise GradingFailed(f"the grader ran past {timeout} s") from None
        except worker.GraderDied as died:
            raise GradingFailed(str(died)) from None
        if status != 0 or not report.is_file():
            raise GradingFailed(f"the grader failed (exit {status}): {output.strip()[-2000:]}")
        tests = json.loads(report.read_text())["tests"]
        pictures = {p.name: base64.b64encode(p.read_bytes()).decode()
                    for p in report.parent.glob("*.png") if p.name in PICTURES}
    graded = {}
    for part, source in modules.items():
        results = [t["extra_data"] | {"score": t["score"], "max_score": t["max_score"],
                                       "hidden": t.get("visibility") == "after_published"}
                   for t in tests if t["extra_data"]["part"] == part]
        graded[part] = {"digest": module_digest(part, source), "results": results,
                        "pictures": pictures if part == 2 else {}}
    return graded


def pregrade(course, submissions, results_dir, grader_root=ROOT, log=None, jobs=1):
    """Grade every (student, assignment, notebook) of `submissions`, each learner's parts in one
    engine run, `jobs` learners at a time, each on a warm grader (autograder/worker.py); write
    results_dir/<student>/<assignment>.json. Returns {student: error or None}."""
    log = log or (lambda line: print(line, flush=True))
    by_student = {}
    for student, assignment, path in submissions:
        by_student.setdefault(student, []).append((assignment, path))

    def grade(grader, student):
        modules, where = {}, {}
        for assignment, path in by_student[student]:
            notebook = path.stem
            part = part_of(notebook)
            module = from_notebook.learner_module(
                from_notebook.read(path), source_notebook(course, assignment, notebook), path.name)
            modules[part], where[part] = module.source, assignment
        begin = time.monotonic()
        try:
            graded = run_engine(modules, grader_root, grader=grader)
        except GradingFailed as error:
            return student, sorted(modules), time.monotonic() - begin, str(error)
        folder = pathlib.Path(results_dir) / student
        folder.mkdir(parents=True, exist_ok=True)
        for part, result in graded.items():
            (folder / f"{where[part]}.json").write_text(json.dumps(result))
        return student, sorted(modules), time.monotonic() - begin, None

    log(f"grading {len(by_student)} learners with the course's engine, {jobs} at a time")
    outcome, tracker = {}, batch_progress.Progress(len(by_student), failures="not graded")
    for student, parts, seconds, error in worker.grade_each(sorted(by_student), jobs, grade, grader_root):
        outcome[student] = error
        counter, tail = tracker.step(error is not None)
        log(f"{counter} {student}: part{'s' if len(parts) > 1 else ''} {', '.join(map(str, parts))} "
            + (f"not graded: {error} (nbgrader will grade these notebooks one by one)" if error
               else f"graded ({seconds:.1f} s)") + f"  | {tail}")
    log(f"graded {len(by_student)} learners in {tracker.elapsed:.1f} s ({tracker.rate:.1f} per minute); "
        f"{tracker.failed} not graded")
    return outcome


# ---------------------------------------------------------------- what a test cell shows
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


# ---------------------------------------------------------------- nbgrader's preprocessors
class CoursePreprocessor(NbGraderPreprocessor):
    course_root = Unicode("", help="the nbgrader course folder (where source/ lives)").tag(config=True)
    grader_root = Unicode(str(ROOT), help="the repository whose autograder/ grades").tag(config=True)


class ReviewSubmission(CoursePreprocessor):
    """Note what a learner did to test and read-only cells; restore hidden tests as released."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = source_notebook(self.course_root, info["assignment"], info["notebook"])
        notes = review(nb, source)
        nb.metadata["tf2_course"] = {"notes": notes}
        return nb, resources


def released_form(text):
    """A test cell's source as nbgrader releases it: hidden test lines cut out."""
    lines, inside = [], False
    for line in text.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def review(nb, source):
    """Sentences about the learner's changes to locked cells; restores released hidden tests."""
    originals = {from_notebook.nbgrader(c).get("grade_id"): c for c in source["cells"]}
    seen, notes = {}, []
    for cell in nb.cells:
        grade_id = from_notebook.nbgrader(cell).get("grade_id")
        original = originals.get(grade_id)
        if original is None:
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        meta, text = from_notebook.nbgrader(original), from_notebook.text_of(original)
        if not meta.get("locked"):
            continue
        what = "test cell" if meta.get("grade") else "read-only cell"
        if cell.cell_type != original["cell_type"]:
            notes.append(f"The {what} `{grade_id}` was turned into a {cell.cell_type} cell; it was "
                         "put back as released.")
        elif cell.source == released_form(text) and cell.source != text:
            cell.source = text  # hidden tests come back quietly: the learner never saw them
        elif cell.source != text:
            notes.append(f"The {what} `{grade_id}` was edited; it was put back as released.")
        if meta.get("grade") and float(from_notebook.nbgrader(cell).get("points", 0)) != float(meta["points"]):
            notes.append(f"The points of `{grade_id}` were changed; the released points count.")
    for grade_id, original in originals.items():
        meta = from_notebook.nbgrader(original)
        if meta.get("grade") and grade_id not in seen:
            notes.append(f"The test cell `{grade_id}` was missing; it was put back.")
    repeated = sorted(g for g, count in seen.items() if count > 1)
    if repeated:
        notes.append("Several cells carry the id " + ", ".join(f"`{g}`" for g in repeated)
                     + "; the last one counts, the others are graded as cells you added.")
        # nbgrader's DeduplicateIds would empty their metadata, which its OverwriteCells then
        # trips over (KeyError 'grade_id': the learner would not be graded at all)
        for cell in reversed(nb.cells):
            grade_id = from_notebook.nbgrader(cell).get("grade_id")
            if grade_id in repeated:
                seen[grade_id] -= 1
                if seen[grade_id] > 0:
                    del cell.metadata["nbgrader"]
    return notes


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
            {part: module.source}, self.grader_root, self.timeout)[part]
        for cell in nb.cells:
            meta = from_notebook.nbgrader(cell)
            if not meta.get("grade") or meta.get("solution") or cell.cell_type != "code":
                continue
            result = check_for_cell(meta["grade_id"], graded["results"])
            outputs, summary = cell_outputs(meta["grade_id"], result, module, graded["pictures"])
            cell.outputs = [from_dict(output) for output in outputs]
            cell.execution_count = None
            cell.metadata["tf2_course"] = summary
        notes = nb.metadata.get("tf2_course", {}).get("notes", []) + module.notes
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
        return graded if graded.get("digest") == module_digest(part, module.source) else None


class SummarizeChecks(NbGraderPreprocessor):
    """Feedback: a table of every test cell, named by its check, with its score and message."""

    def preprocess(self, nb, resources):
        rows = []
        for cell in nb.cells:
            summary = cell.metadata.get("tf2_course")
            meta = from_notebook.nbgrader(cell)
            if not (summary and meta.get("grade")) or "label" not in summary:
                continue
            score = meta.get("score")
            points = f"{score:g}/{float(meta['points']):g}" if score is not None else f"?/{float(meta['points']):g}"
            message = (summary.get("message") or "").replace("|", "\\|").replace("\n", " ")
            rows.append(f"| [{summary['label']}](#{meta['grade_id']}) | {points} | {message} |")
        if rows:
            table = ["### Your checks", "", "| check | points | what the grader says |",
                     "|---|---|---|", *rows]
            nb.cells.insert(0, new_markdown_cell("\n".join(table)))
        return nb, resources


class WrapOutputs(NbGraderPreprocessor):
    """Feedback: wrap long output lines (nbgrader's page cuts them off at the right edge)."""

    css = ("div.output_area pre, div.output_subarea pre, .output_text pre, .output_error pre "
           "{ white-space: pre-wrap; word-wrap: break-word; overflow-wrap: anywhere; }")

    def preprocess(self, nb, resources):
        resources.setdefault("inlining", {}).setdefault("css", []).append(self.css)
        return nb, resources
