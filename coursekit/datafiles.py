"""Data files shipped with the course, each checked against its SHA-256 before it is read.

Every data file `name.ext` has `name.sha256` beside it (the format of `sha256sum`). The files are
written by the instructor's generators (`make pretrained`, `make grader-data`); a missing or
corrupt one stops whatever reads it with a message that names the command that rebuilds it.
"""

import hashlib
import pathlib


class DataFileError(RuntimeError):
    """A shipped data file is missing or does not match its checksum."""


def checksum_path(path):
    return pathlib.Path(path).with_suffix(".sha256")


def file_sha256(path):
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def write_checksum(path):
    """Write `name.sha256` beside `path`; return the checksum's path."""
    path = pathlib.Path(path)
    checksum_path(path).write_text(f"{file_sha256(path)}  {path.name}\n")
    return checksum_path(path)


def checked(path, rebuild):
    """`path`, after checking it against its checksum; `rebuild` is the make command that writes it."""
    path = pathlib.Path(path)
    fix = f"Run `{rebuild}` to rebuild it."
    for needed in (path, checksum_path(path)):
        if not needed.is_file():
            raise DataFileError(f"{needed} is missing. {fix}")
    expected = (checksum_path(path).read_text().split() or [""])[0]
    actual = file_sha256(path)
    if actual != expected:
        raise DataFileError(f"{path} is corrupt (sha256 {actual[:12]}..., expected {expected[:12]}... "
                            f"from {checksum_path(path).name}). {fix}")
    return path
