"""Gradescope runs this for every submission (through run_autograder): find the learner's files
in what they uploaded, grade them with the course's grader, write Gradescope's results.json.

    ROOT/source/             the autograder zip, unpacked: this file, assignment.json (the parts
                             this assignment grades, written by `make gradescope`), autograder/...
    ROOT/submission/         what the learner uploaded: files alone, or their repository's folders
    ROOT/results/results.json

ROOT is /autograder on Gradescope; AUTOGRADER_ROOT replaces it (the tests lay the same folders out
in a scratch folder). Whatever was uploaded, every check of the assignment's parts gets a line:
a part whose file is missing scores zero with one sentence that says what to upload instead.
"""

import json
import os
import pathlib
import shutil
import sys

from autograder.checkkit import registry
from autograder.feedback import leaderboard
from autograder.intake import from_notebook
from autograder.supervise import cli

ROOT = pathlib.Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
SKIPPED = {"__MACOSX", "__pycache__"}  # and every folder or file whose name starts with a dot


def uploaded_files(folder):
    """Every file the learner uploaded, outside hidden and system folders, shallowest first."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()  # a link
             # would carry whatever it points at into the file graded
             and not any(name.startswith(".") or name in SKIPPED for name in path.relative_to(folder).parts)]
    return sorted(files, key=lambda path: (len(path.relative_to(folder).parts), str(path)))


def pick(files, part, suffix=".py"):
    """The learner's file of `part`: named as the stub is, else any partN_*.py (letter case
    aside); the shallowest first. None if there is none."""
    exact = [path for path in files if path.name == registry.PARTS[part] + suffix]
    loose = [path for path in files if path.suffix.lower() == suffix and path.name.lower().startswith(f"part{part}_")]
    return (exact + loose + [None])[0]


def notebook_module(notebook, part):
    """(the file to grade, notes) for a notebook uploaded instead of the part's .py file, built as
    nbgrader's autograde builds it (autograder/intake/from_notebook.py: the learner's solution cells, the
    course's locked code); (None, sentence) when it is not the course's notebook."""
    released = pathlib.Path(__file__).with_name("notebooks") / (registry.PARTS[part] + ".ipynb")
    expected = registry.PARTS[part]
    try:
        submitted = from_notebook.read(notebook)
        cells = submitted["cells"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None, (f"Your notebook {notebook.name} could not be read as a Jupyter notebook: "
                      f"upload the course's {expected}.ipynb or your exercises/{expected}.py.")
    ids = {from_notebook.nbgrader(c).get("grade_id") for c in cells if isinstance(c, dict)}
    structure = from_notebook.read(released)
    solutions = {from_notebook.nbgrader(c)["grade_id"] for c in structure["cells"]
                 if from_notebook.kind(c) == "solution"}
    if not solutions & ids:
        return None, (f"Your notebook {notebook.name} is not the course's {expected}.ipynb (none "
                      f"of its exercise cells): upload that notebook or your exercises/{expected}.py.")
    module = from_notebook.learner_module(submitted, structure, notebook.name)
    return module, [f"Part {part}: graded the notebook {notebook.name}."] + module.notes


def missing_answer(files, part):
    expected = registry.PARTS[part] + ".py"
    names = sorted({path.name for path in files})
    held = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "") if names else "no file"
    return f"Your upload has no {expected} (it holds {held}): upload your exercises/{expected}, under that name."


def gather(files, parts, submission, folder):
    """Copy each part's file into `folder` under the stub's name; return ({part: why it is
    missing}, lines saying what was graded)."""
    missing, notes = {}, []
    for part in parts:
        chosen = pick(files, part)
        if chosen is None:
            notebook = pick(files, part, ".ipynb")
            if notebook is None:
                missing[part] = missing_answer(files, part)
                continue
            module, said = notebook_module(notebook, part)
            if module is None:
                missing[part] = said
            else:
                module.write(folder, registry.PARTS[part])
                notes += said
            continue
        shutil.copyfile(chosen, folder / (registry.PARTS[part] + ".py"))
        others = [str(path.relative_to(submission)) for path in files
                  if path != chosen and path.suffix.lower() == ".py" and path.name.lower().startswith(f"part{part}_")]
        notes.append(f"Part {part}: graded {chosen.relative_to(submission)}"
                     + (f" (not {', '.join(others)})" if others else "") + ".")
    return missing, notes


def explain(results_path, missing, notes):
    """Put each missing part's sentence under its checks and what was graded on top."""
    results = json.loads(results_path.read_text())
    for test in results.get("tests", []):
        part = int(test["name"].split()[1])
        if part in missing:
            test["output"] = test["output"].split("\n", 1)[0] + "\n" + missing[part]
            extra = test.get("extra_data", {})
            if "message" in extra:  # the grader's own sentence, for instructors' tools
                extra["message"] = f"part {part}, {extra.get('exercise', '')}: {missing[part]}"
    kept = [line for line in results.get("output", "").splitlines() if not line.startswith("Parts graded")]
    extra = results.get("extra_data", {})
    ran = [f"Part {part}: {note}" for part, said in sorted(extra.get("notes", {}).items()) for note in said]
    sandbox = [f"Sandbox: {extra['sandbox']}"] if "sandbox" in extra else []  # for the instructor's first run
    results["output"] = "\n".join(notes + ran + list(missing.values()) + kept + sandbox)
    results_path.write_text(json.dumps(results, indent=2) + "\n")


def main():
    assignment = json.loads(pathlib.Path(__file__).with_name("assignment.json").read_text())
    parts = assignment["parts"]
    submission, results = ROOT / "submission", ROOT / "results" / "results.json"
    folder = ROOT / "graded"  # the learner's files under the stubs' names, and nothing else
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    missing, notes = gather(uploaded_files(submission), parts, submission, folder)
    status = cli.main(["--submission", str(folder), "--report", str(results)]
                      + [f"--part={part}" for part in parts])
    if results.exists():
        explain(results, missing, notes)
        if assignment.get("leaderboard"):  # `make gradescope LEADERBOARD=1`
            leaderboard.add_leaderboard(results)
    return status


if __name__ == "__main__":
    sys.exit(main())
