"""`make gradescope`: a Gradescope autograder zip that grades with the course's own grader.

    build/gradescope/autograder.zip
        setup.sh            Gradescope runs it once to build the image: a venv with the pins
        run_autograder      runs per submission: `python -m autograder` on the learner's files,
                            writing /autograder/results/results.json (Gradescope's schema)
        requirements.txt constraints.txt
        autograder/ coursekit/   the full grader: hidden checks included, shown to learners only
                                 "after_published" (report.py)

Learners upload their `partN_*.py` files, alone or inside folders (a GitHub upload of their
repository keeps exercises/): run_autograder gathers every `part[0-9]_*.py` it finds. Points
and checks are those of `make grade`; `--part` bakes in which parts the assignment grades.
"""

import pathlib
import shutil
import stat
import tempfile
import zipfile

from handout import helpers
from handout.student_repo import tensorflow_pin

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "build" / "gradescope" / "autograder.zip"
TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"


def build(dest=DEST, parts=None, root=ROOT):
    """Write the autograder zip to `dest`; parts: the part numbers to grade (default: all)."""
    dest = pathlib.Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part_args = " ".join(f"--part {p}" for p in parts or [])
    with tempfile.TemporaryDirectory() as work:
        staging = pathlib.Path(work)
        helpers.copy_helpers(root, staging, hidden="keep")
        for name in ("requirements.txt", "constraints.txt"):
            shutil.copy2(root / name, staging / name)
        for name, replacements in (("setup.sh", {"@TENSORFLOW@": tensorflow_pin(root)}),
                                   ("run_autograder", {"@PART_ARGS@": part_args})):
            text = (TEMPLATES / f"gradescope_{name}").read_text()
            for key, value in replacements.items():
                text = text.replace(key, value)
            (staging / name).write_text(text)
        if dest.exists():
            dest.unlink()
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(staging)), date_time=(2020, 1, 1, 0, 0, 0))
                    executable = path.name in ("setup.sh", "run_autograder")
                    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
    print(f"Gradescope autograder: {dest} (grades {'parts ' + ', '.join(map(str, parts)) if parts else 'every part'}); "
          "upload it as the assignment's autograder, Ubuntu 22.04 base image")
    return dest
