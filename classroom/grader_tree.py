"""The grader-only tree every class path grades from: nothing beside the grader to steal.

The instructor's checkout holds the reference (solutions/), the source notebooks (course/source/),
the gradebook and every learner's results. A class (grade-batch, `--cold`, a Dask worker, `make
autograde`, formgrader's button) is graded by an engine imported from a copy of what grading
needs and nothing more: autograder/ (hidden checks and their data included), coursekit/,
classroom/ (the warm grader is started from it) and constraints.txt. The copy lives outside the
checkout (in the user's cache folder), so no path from the grader's own files leads back to it,
and the sandbox of each grading process (autograder/execute/sandbox.py) reads only its
autograder/ and coursekit/.

Built once per content: the folder is named by the fingerprint of what it holds, which is also
what a Dask cluster compares between machines (cluster.py). Runs on the instructor's side only.
"""

import hashlib
import os
import pathlib
import shutil
import tempfile

from autograder.checkkit.environment import ROOT

SOURCES = ("autograder", "coursekit", "classroom")
MARKER = "GRADER-TREE"  # in a built tree: grading from one needs no other copy


def source_files(root):
    """The files a tree holds, relative to `root`, in a fixed order."""
    files = [pathlib.Path("constraints.txt")]
    for folder in SOURCES:
        files += sorted(path.relative_to(root) for path in (pathlib.Path(root) / folder).rglob("*")
                        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")
    return files


def fingerprint(root=ROOT):
    """What decides a grade here: the grader's, the course kit's and the class tools' files, and
    the lock (a short SHA-256)."""
    digest = hashlib.sha256()
    for relative in source_files(root):
        digest.update(f"{relative.as_posix()}\n".encode() + (pathlib.Path(root) / relative).read_bytes())
    return digest.hexdigest()[:12]


def cache_folder():
    return pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "tf2-course" / "grader"


def ensure(root=ROOT):
    """The grader-only tree of the checkout at `root`, built if it is not there yet; `root`
    itself when it is such a tree already."""
    root = pathlib.Path(root).resolve()
    if (root / MARKER).exists():
        return root
    tree = cache_folder() / fingerprint(root)
    if (tree / MARKER).exists():
        return tree
    tree.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = pathlib.Path(tempfile.mkdtemp(prefix=f".{tree.name}-", dir=tree.parent))
    for relative in source_files(root):
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, staging / relative)
    (staging / MARKER).write_text(f"A grader-only tree built from {fingerprint(root)}; see classroom/grader_tree.py.\n")
    try:
        staging.rename(tree)  # atomic: two runs building at once leave one whole tree
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # the other run's tree is there now
    return tree
