"""`make autograde`'s first step: every learner's notebooks graded by the course's engine, in
advance, several learners at once; and the engine run that grades one notebook's module.

Runs on the instructor's machine. A notebook becomes a module (autograder/intake/from_notebook.py)
and is graded by `python -m autograder`, or by a warm grader (classroom/warm_grader.py) that
imported TensorFlow once for all its learners: child processes, limits, tamper guard, hidden
checks. `pregrade` writes each learner's results where the GradeWithEngine preprocessor
(preprocessors/grade_with_engine.py) finds them; it uses a result only when it was computed from
the very module it builds itself, and grades otherwise.
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

from autograder.checkkit.registry import PARTS
from autograder.intake import from_notebook
from classroom import grader_tree, progress, warm_grader

ROOT = pathlib.Path(__file__).resolve().parent.parent
PICTURES = {"part2_samples.png", "part2_training_curves.png", "part2_confusion_matrix.png"}


class GradingFailed(RuntimeError):
    """The engine itself could not grade (not the learner's doing); nbgrader reports it."""


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


def module_digest(part, module):
    """What identifies a notebook's module (intake/from_notebook.Module): its text and its cells."""
    return hashlib.sha256(f"part{part}\n{module.source}\n{json.dumps(module.cells)}".encode()).hexdigest()


def run_engine(modules, grader_root=ROOT, timeout=1800, grader=None):
    """Grade {part: from_notebook.Module} in one run of the engine: `python -m autograder`, or a
    warm grader's (classroom/warm_grader.py) when `grader` is one.

    Returns {part: {"digest", "results": [per-check dicts], "pictures": {name: base64 PNG},
    "notes": [what running the notebook's cells cost, by cell]}}.
    Raises GradingFailed when the engine could not grade (exit status other than 0).
    """
    with tempfile.TemporaryDirectory(prefix="nbgrader-engine-") as work:
        work = pathlib.Path(work)
        submission = work / "submission"
        submission.mkdir()
        for part, module in modules.items():
            module.write(submission, PARTS[part])
        report = work / "reports" / "results.json"
        argv = ["--submission", str(submission), "--report", str(report), "--sandbox", "require"] + [
            a for p in sorted(modules) for a in ("--part", str(p))]
        try:
            if grader is None:
                tree = grader_tree.ensure(grader_root)
                done = subprocess.run([sys.executable, "-m", "autograder", *argv], cwd=tree,
                                      env=warm_grader.grader_environment(tree), stdin=subprocess.DEVNULL,
                                      capture_output=True, text=True, timeout=timeout)
                status, output = done.returncode, done.stderr or done.stdout
            else:
                answer = grader.grade(argv, timeout)
                status, output = answer["status"], answer["output"]
        except subprocess.TimeoutExpired:
            raise GradingFailed(f"the grader ran past {timeout} s") from None
        except warm_grader.GraderDied as died:
            raise GradingFailed(str(died)) from None
        if status != 0 or not report.is_file():
            raise GradingFailed(f"the grader failed (exit {status}): {output.strip()[-2000:]}")
        written = json.loads(report.read_text())
        tests, notes = written["tests"], written.get("extra_data", {}).get("notes", {})
        pictures = {p.name: base64.b64encode(p.read_bytes()).decode()
                    for p in report.parent.glob("*.png") if p.name in PICTURES}
    graded = {}
    for part, module in modules.items():
        results = [t["extra_data"] | {"score": t["score"], "max_score": t["max_score"],
                                       "hidden": t.get("visibility") == "after_published"}
                   for t in tests if t["extra_data"]["part"] == part]
        graded[part] = {"digest": module_digest(part, module), "results": results,
                        "pictures": pictures if part == 2 else {}, "notes": notes.get(str(part), [])}
    return graded


def pregrade(course, submissions, results_dir, grader_root=ROOT, log=None, jobs=1):
    """Grade every (student, assignment, notebook) of `submissions`, each learner's parts in one
    engine run, `jobs` learners at a time, each on a warm grader (classroom/warm_grader.py); write
    results_dir/<student>/<assignment>.json. Returns {student: error or None}."""
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
            modules[part], where[part] = module, assignment
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

    outcome, tracker = {}, progress.BatchProgress(len(by_student), failures="not graded")
    log = log or tracker.print  # lines above the progress bar, on a terminal
    log(f"grading {len(by_student)} learners with the course's engine, {jobs} at a time")
    tree = grader_tree.ensure(grader_root)
    try:
        for student, parts, seconds, error in warm_grader.grade_each(sorted(by_student), jobs, grade, tree):
            outcome[student] = error
            counter, tail = tracker.step(error is not None)
            log(f"{counter} {student}: part{'s' if len(parts) > 1 else ''} {', '.join(map(str, parts))} "
                + (f"not graded: {error} (nbgrader will grade these notebooks one by one)" if error
                   else f"graded ({seconds:.1f} s)") + f"  | {tail}")
    finally:
        tracker.close()
    log(f"graded {len(by_student)} learners in {tracker.elapsed:.1f} s ({tracker.rate:.1f} per minute); "
        f"{tracker.failed} not graded")
    return outcome
