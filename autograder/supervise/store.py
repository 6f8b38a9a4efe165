"""The store of check outcomes kept for the learner's own loop (`make grade`, `make watch`).

Runs in the parent, which alone reads and writes it; never imports TensorFlow nor the learner's
code. Only `--store DIR` turns it on: the Makefile's grade and watch targets pass `.grade-store`
(at the repository's root, git-ignored, outside exercises/ and anything submitted); the paths that
record grades (Gradescope, grade-batch, autograde, Dask) never pass it, and a store inside the
submitted folder is never read (cli.py).

    DIR/partN.json          {"format", "fingerprint", "checks": [the grading process's collected
                             records], "outcomes": {check: [{"key", "result", "layout", "files"}]}}
    DIR/files/partN/<key>/  the pictures a kept outcome drew (Part 2), copied back on reuse

An outcome is kept under a key of everything it depends on (reuse.py); the whole file is
ignored when the grader's fingerprint changed: its files (autograder/, coursekit/, data
included), the versions of TensorFlow, Keras and the packages around them, Python, the seed, the
CPUs TensorFlow's threads use, and the environment variables that change TensorFlow's numbers.
"""

import hashlib
import importlib.metadata
import json
import os
import pathlib
import platform
import re
import shutil
import sys

from autograder.checkkit import environment
from autograder.feedback import problems
from autograder.supervise import container

FORMAT = 1
KEPT_PER_CHECK = 4  # outcomes kept per check: an edit undone finds its outcome again
PACKAGES = ("tensorflow", "tensorflow-cpu", "keras", "numpy", "scikit-learn", "matplotlib", "pytest")
NUMERICS = ("TF_ENABLE_ONEDNN_OPTS", "OMP_NUM_THREADS", "TF_NUM_INTEROP_THREADS",
            "TF_NUM_INTRAOP_THREADS", "TF_DETERMINISTIC_OPS", "PYTHONHASHSEED", "CUDA_VISIBLE_DEVICES")
KEEPABLE = {"passed", "failed", "not attempted", "error"}
LINE = re.compile(r"\bline (\d+)( of your file)?")


def fingerprint(check_timeout=None, root=environment.ROOT):
    """A digest of everything about the grader an outcome depends on, the learner's file aside."""
    digest = hashlib.sha256()
    for package in ("autograder", "coursekit"):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    digest.update(json.dumps({
        "versions": versions, "python": sys.version, "machine": platform.machine(),
        "seed": environment.SEED, "check_timeout": check_timeout, "cpus": container.cpu_count(),
        "environment": {name: os.environ.get(name) for name in NUMERICS}}, sort_keys=True).encode())
    return digest.hexdigest()


def keepable(result):
    """Is this a verdict on the learner's code alone (a pass, a wrong value, their exception)?
    Timeouts, crashes, out-of-memory kills, tampering and the grader's own failures depend on the
    machine or the moment: they are graded again."""
    return result.get("status") in KEEPABLE and problems.kind_of(result) is None


def restore(entry, layout, files, reports_dir):
    """The kept result, as a fresh grading of the file now would give it, or None when it
    cannot be: its message names a line of the learner's file that moved or whose text changed
    (a comment, a docstring), or a picture is missing. Marked "cached"."""
    result = dict(entry["result"])
    message = result.get("message", "")
    if LINE.search(message):
        old = entry["layout"]
        if [span[2] for span in old] != [span[2] for span in layout]:
            return None  # the closure's text changed: the quoted line may read differently
        shifts = [(start, end, new[0] - start) for (start, end, _), new in zip(old, layout)]

        def moved(match):
            number = int(match[1])
            for start, end, shift in shifts:
                if match[2] and start <= number <= end:
                    return f"line {number + shift}{match[2]}"
            if match[2] or any(shift for _, _, shift in shifts):
                raise LookupError(number)  # a line it cannot place, in a file that moved
            return match[0]

        try:
            result["message"] = LINE.sub(moved, message)
        except LookupError:
            return None
    restored = []
    for name in entry.get("files", []):
        kept = files / entry["key"] / name
        if not kept.is_file():
            return None
        reports_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, reports_dir / name)
        restored.append(str(reports_dir / name))
    if restored:
        result["files"] = restored
    result["cached"] = True
    return result


class Store:
    """The folder of kept outcomes, one JSON file per part."""

    def __init__(self, folder, fingerprint):
        self.folder, self.fingerprint = pathlib.Path(folder), fingerprint

    def path(self, part):
        return self.folder / f"part{part}.json"

    def load(self, part):
        """The part's data: {"checks": [...] or None, "outcomes": {...}}; empty when the grader
        changed since, or the file is unreadable."""
        try:
            data = json.loads(self.path(part).read_text())
            if data.get("format") == FORMAT and data.get("fingerprint") == self.fingerprint:
                return {"checks": data.get("checks"), "outcomes": data.get("outcomes", {})}
        except (OSError, ValueError, AttributeError):
            pass
        return {"checks": None, "outcomes": {}}

    def save(self, part, checks, kept):
        """Write the part's collected checks and each check's outcomes (`kept`: {check: [entry,
        ...] newest first}), keeping KEPT_PER_CHECK per check; drop pictures no entry names."""
        kept = {name: entries[:KEPT_PER_CHECK] for name, entries in kept.items()}
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "fingerprint": self.fingerprint, "checks": checks, "outcomes": kept}
        temporary = self.path(part).with_suffix(f".tmp{os.getpid()}")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, self.path(part))  # whole or not at all, whoever reads it meanwhile
        named = {e["key"] for entries in kept.values() for e in entries if e.get("files")}
        if self.files(part).is_dir():
            for folder in self.files(part).iterdir():
                if folder.name not in named:
                    shutil.rmtree(folder, ignore_errors=True)

    def files(self, part):
        """Where the part's pictures are kept, one folder per outcome's key."""
        return self.folder / "files" / f"part{part}"

    def entry(self, part, key, result, layout):
        """A new entry for `result`, its pictures copied into the store."""
        names = []
        for path in map(pathlib.Path, result.get("files", [])):
            if path.is_file():
                (self.files(part) / key).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, self.files(part) / key / path.name)
                names.append(path.name)
        kept = {k: v for k, v in result.items() if k not in ("files", "cached")}
        return {"key": key, "result": kept, "layout": [list(span) for span in layout], "files": names}
