"""Write generated files without ever losing a learner's work.

`exercises/.generated.json` (and `course/source/.generated.json` for the notebooks) remembers the SHA-256 of what was last generated into each file. A
file whose content no longer matches is the learner's work: it is not overwritten unless forced,
and even then it is first copied to `<file>.bak-<timestamp>`.
"""

import datetime
import hashlib
import json
import pathlib

MANIFEST = ".generated.json"


class WouldOverwrite(Exception):
    """A generated file was edited since it was last generated."""


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def load_manifest(folder):
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def save_manifest(folder, manifest):
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def write_generated(path, text, manifest, force=False, key=None):
    """Write `text` to `path`; return "unchanged", "written" or the backup's path when forced.

    key: the file's entry in the manifest (default: its name). Raises WouldOverwrite when `path`
    holds edits made after the last generation.
    """
    path = pathlib.Path(path)
    key = key or path.name
    result = "written"
    if path.exists():
        current = path.read_text()
        if current == text:
            manifest[key] = digest(text)
            return "unchanged"
        if manifest.get(key) != digest(current):
            if not force:
                raise WouldOverwrite(
                    f"{path} was edited since it was generated (it may hold your work), so it was "
                    f"not overwritten. Move it aside, or run `make exercises FORCE=1` to "
                    f"regenerate it (your version is then kept as {path.name}.bak-<time>).")
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.name}.bak-{stamp}")
            backup.write_text(current)
            result = str(backup)
    path.write_text(text)
    manifest[key] = digest(text)
    return result
