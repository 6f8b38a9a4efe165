"""Import TensorFlow without the lines it writes to stderr while it loads.

`TF_CPP_MIN_LOG_LEVEL=3` hides TensorFlow's C++ log lines, but not all of them: on CPUs with
AVX512_VNNI, AVX512_BF16 or AMX (where oneDNN's custom operations are on by default), the import
writes "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
and "oneDNN custom operations are on ...", twice, before any log level is read. They go straight
to file descriptor 2, past Python's `sys.stderr`, so the import runs with descriptor 2 pointing at
a temporary file. Nothing is lost when it matters: if the import fails, what it wrote is passed on.

`TF_ENABLE_ONEDNN_OPTS=0` would silence them too, but it changes which kernels run, and so the
numbers every threshold was measured with.
"""

import contextlib
import importlib
import os
import sys
import tempfile


@contextlib.contextmanager
def stderr_into(captured):
    """Send file descriptor 2 (C libraries) and `sys.stderr` (Python) into the binary file
    `captured` for the block."""
    sys.stderr.flush()
    python_side = open(captured.fileno(), "w", closefd=False, errors="replace")
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing of C's can reach a terminal
        saved = None
    if saved is not None:
        os.dup2(captured.fileno(), 2)
    try:
        with python_side, contextlib.redirect_stderr(python_side):
            yield
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)


def import_quietly(name="tensorflow"):
    """Import module `name` (TensorFlow by default) with its start-up lines kept off stderr."""
    if name in sys.modules:
        return sys.modules[name]
    with tempfile.TemporaryFile() as captured:
        try:
            with stderr_into(captured):
                return importlib.import_module(name)
        except BaseException:
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
