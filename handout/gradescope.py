"""`make gradescope`: Gradescope autograder zips that grade with the course's own grader, one
per part (a Gradescope assignment per part), and one for every part when asked (`ALL=1`).

    build/gradescope/autograder-part1.zip ... autograder-all.zip
        setup.sh            Gradescope runs it once to build the image: a venv with what grading
                            needs (requirements-grading.txt, pinned by constraints.txt)
        run_autograder      runs per submission: grade_submission.py finds the learner's files,
                            grades them with `python -m autograder`'s engine and writes
                            /autograder/results/results.json (Gradescope's schema)
        grade_submission.py assignment.json (the parts it grades)
        notebooks/partN_<topic>.ipynb   each part's notebook as released (stubs, locked code; no
                            solution, no test cell): how a notebook upload becomes a file
        requirements-grading.txt constraints.txt
        autograder/ coursekit/   the full grader: hidden checks included, shown to learners only
                                 "after_published" (report.py)

Learners upload their `partN_*.py` files, alone or inside folders (a GitHub upload of their
repository keeps exercises/), or the course's notebook of the part, which is graded as nbgrader's
autograde grades it (autograder/intake/from_notebook.py). Points and checks are those of `make grade`; a
part whose file is missing (a wrong name) scores zero with a sentence saying what to upload.
"""

import json
import pathlib
import shutil
import stat
import tempfile
import zipfile

from autograder.intake import from_notebook
from handout import helpers
from handout.student_repo import tensorflow_pin

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "build" / "gradescope"
TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"
EXECUTABLE = ("setup.sh", "run_autograder")


class UnknownPart(ValueError):
    """A part the course does not have."""


def course_parts(root=ROOT):
    """The parts whose checks exist."""
    return sorted(int(path.stem[4:]) for path in (root / "autograder" / "checks").glob("part[0-9].py"))


def build(dest=DEST, parts=None, all_parts=False, root=ROOT, leaderboard=False):
    """Write one zip per part (`parts`, default: every part) into the folder `dest`, and with
    `all_parts` one more that grades them all; return their paths. `leaderboard`: each results.json
    also carries the held-out accuracies as Gradescope leaderboard entries."""
    every = course_parts(root)
    unknown = sorted(set(parts or []) - set(every))
    if unknown:
        raise UnknownPart(f"no part {unknown[0]}; the course has parts {every}")
    zips = [build_zip(pathlib.Path(dest) / f"autograder-part{part}.zip", [part], root, leaderboard)
            for part in parts or every]
    if all_parts:
        zips.append(build_zip(pathlib.Path(dest) / "autograder-all.zip", every, root, leaderboard))
    return zips


def released_structure(path):
    """The source notebook at `path` as learners receive it, test cells left out: solution cells
    cleared to their stubs, locked cells as they are. What from_notebook needs, and nothing more."""
    notebook = from_notebook.read(path)
    cells = []
    for cell in notebook["cells"]:
        kind = from_notebook.kind(cell)
        if kind == "test":
            continue
        if kind == "solution":
            cell = dict(cell, source=from_notebook.stub_of(from_notebook.text_of(cell)))
        cells.append(dict(cell, outputs=[]) if cell.get("cell_type") == "code" else cell)
    return dict(notebook, cells=cells)


def build_zip(dest, parts, root=ROOT, leaderboard=False):
    """Write the autograder zip that grades `parts` to `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        staging = pathlib.Path(work)
        helpers.copy_helpers(root, staging, hidden="keep")
        for name in ("requirements-grading.txt", "constraints.txt"):
            shutil.copy2(root / name, staging / name)
        setup = (TEMPLATES / "gradescope_setup.sh").read_text().replace("@TENSORFLOW@", tensorflow_pin(root))
        (staging / "setup.sh").write_text(setup)
        shutil.copy2(TEMPLATES / "gradescope_run_autograder", staging / "run_autograder")
        shutil.copy2(TEMPLATES / "gradescope_grade.py", staging / "grade_submission.py")
        (staging / "assignment.json").write_text(json.dumps({"parts": parts, "leaderboard": leaderboard}) + "\n")
        (staging / "notebooks").mkdir()
        for part in parts:
            for source in sorted((root / "course" / "source").glob(f"part{part}/part{part}_*.ipynb")):
                (staging / "notebooks" / source.name).write_text(json.dumps(released_structure(source), indent=1))
        if dest.exists():
            dest.unlink()
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(staging)), date_time=(2020, 1, 1, 0, 0, 0))
                    info.external_attr = ((0o755 if path.name in EXECUTABLE else 0o644) | stat.S_IFREG) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
    print(f"Gradescope autograder: {dest} (grades part{'s' if len(parts) > 1 else ''} "
          f"{', '.join(map(str, parts))}); upload it as the assignment's autograder, Ubuntu 22.04 base image")
    return dest
