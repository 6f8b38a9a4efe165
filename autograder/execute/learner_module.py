"""Import a learner's file in the grading process, whatever state it is in: a `.py` file as
Python imports it, a notebook's module (intake/from_notebook.py) cell by cell as Jupyter runs it.

The module is imported by path under a private name, so a learner's file can never shadow the
grader's own modules, and nothing in the learner's folder is put on `sys.path`.
"""

import ast
import importlib.util
import pathlib
import sys
import time

from autograder.checkkit import limits
from autograder.execute.check_runner import Alarm, CheckTimeout
from autograder.feedback.learner_errors import describe_learner_error
from autograder.intake import from_notebook


class SubmissionError(Exception):
    """The learner's file is missing or could not be imported; the message says why."""


def import_part(path, part):
    """Import the learner's file; raise SubmissionError with a one-line reason if it fails."""
    name = f"submission_part{part}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Keras and dataclasses look classes up by module name
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        del sys.modules[name]
        raise SubmissionError(
            f"your file has a syntax error at line {error.lineno}: {error.msg}"
            f" ({(error.text or '').strip()}). Fix it and run the grader again."
        ) from None
    except CheckTimeout:
        del sys.modules[name]
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt included
        del sys.modules[name]
        raise SubmissionError(
            "your file could not be imported: " + describe_learner_error(error, path)
        ) from None
    return module


def import_notebook(path, part, cells, on_cell=None, skip_cells=(), notes=None):
    """Run a notebook's module (intake/from_notebook.py) cell by cell, as Jupyter runs it: each
    cell under its own budget, statement by statement. A statement that raises, exits or runs past
    the budget costs itself and the cell's later statements that are not definitions (def, class,
    import, a name bound to names and literals), which still run; the learner is told, by cell,
    in `notes`. `skip_cells`: cells the parent stopped (a hang no alarm could interrupt) in an
    earlier process: their definitions only. `on_cell(index, label, seconds)` hears each cell start.
    """
    notes = [] if notes is None else notes
    name = f"submission_part{part}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__notebook_cells__ = cells  # what messages in notebook terms need (check_runner.py)
    sys.modules[name] = module
    lines = pathlib.Path(path).read_text().splitlines(keepends=True)
    deadline = time.monotonic() + limits.NOTEBOOK_SECONDS
    for index, cell in enumerate(cells):
        tree = ast.parse("".join(lines[cell["first"] - 1:cell["last"]]))
        ast.increment_lineno(tree, cell["first"] - 1)
        statements = tree.body
        if index in skip_cells:  # the parent says why (supervise/part_grading.py)
            run_statements([s for s in statements if from_notebook.is_definition(s)], module, path,
                           limits.CELL_SECONDS)
            continue
        seconds = max(1.0, min(limits.CELL_SECONDS, deadline - time.monotonic()))
        if on_cell:
            on_cell(index, cell["label"], seconds)
        if deadline - time.monotonic() <= 0:
            statements = [s for s in statements if from_notebook.is_definition(s)]
        stopped = run_statements(statements, module, path, seconds)
        if stopped is None:
            continue
        at, why = stopped
        later = [s for s in statements[at + 1:] if from_notebook.is_definition(s)]
        left_out = len(statements) - at - len(later)
        run_statements(later, module, path, limits.CELL_SECONDS)
        line = statements[at].lineno - cell["first"] + 1
        snippet = lines[statements[at].lineno - 1].strip()
        notes.append(f"{capital(cell['label'])} {why} at line {line} (`{shorten(snippet)}`): what it "
                     f"defines still counts; {left_out} statement{'s' if left_out != 1 else ''} of it "
                     "did not run when grading, as Jupyter would have shown you.")
    return module


def run_statements(statements, module, path, seconds):
    """Run each top-level statement in the module's namespace, under one alarm of `seconds`;
    None when all ran, else (the index of the one that stopped, why in a few words)."""
    timer = Alarm(seconds)
    index = 0
    try:
        with timer:
            for index, statement in enumerate(statements):
                exec(compile(ast.Module([statement], []), str(path), "exec"), module.__dict__)
    except CheckTimeout:
        return index, f"ran past its {seconds:g} s"
    except SystemExit:
        return index, "called sys.exit"
    except BaseException as error:  # KeyboardInterrupt included: a cell the learner interrupted
        if timer.fired:  # the alarm, turned into another exception inside TensorFlow's code
            return index, f"ran past its {seconds:g} s"
        return index, f"raised {type(error).__name__}"
    return None


def capital(text):
    return text[:1].upper() + text[1:]


def shorten(text, limit=60):
    return text if len(text) <= limit else text[: limit - 3] + "..."
