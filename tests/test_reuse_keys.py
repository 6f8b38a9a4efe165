"""What a check's key covers in a learner's file, read by `ast` alone (intake/dependencies.py),
which checks share state (reuse.groups), and how a kept outcome is restored (store.restore)."""

import pathlib

import pytest

from autograder.intake import dependencies
from autograder.supervise import reuse, store
from conftest import ROOT

BASE = '''"""A learner's file."""
import numpy as np
import tensorflow as tf

SCALE = 2.0


def helper(x):
    return x * SCALE


def standardize(x, axis=0):
    """Standardize x."""
    mean = tf.reduce_mean(x, axis=axis, keepdims=True)  # the mean
    return (x - mean) / tf.math.reduce_std(x, axis=axis, keepdims=True)


def scaled(x):
    return helper(x) + 1


def doubled(x):
    return helper(x) * 2


if __name__ == "__main__":
    print(standardize(tf.ones((2, 2))))
'''
WANTS = {"standardize_check": ["standardize"], "scaled_check": ["scaled"], "doubled_check": ["doubled"]}


def keys(source):
    analysis = dependencies.analyse(source, "part9.py", {"exercises", "solutions"}, WANTS.values())
    return {name: analysis.digest(taken) for name, taken in WANTS.items()}


def changed(edited):
    before, after = keys(BASE), keys(edited)
    return {name for name in WANTS if before[name] != after[name]}


@pytest.mark.parametrize("edit, expected", [
    (("    \"\"\"Standardize x.\"\"\"", "    \"\"\"Standardize x along axis (a new docstring).\"\"\""), set()),
    (("# the mean", "# the mean, kept as a column"), set()),
    (("    print(standardize(tf.ones((2, 2))))", "    print('try it')"), set()),
    (("def standardize(x, axis=0):", "def standardize(x, axis=1):"), {"standardize_check"}),
    (("keepdims=True)  # the mean", "keepdims=False)  # the mean"), {"standardize_check"}),
    (("return helper(x) + 1", "return helper(x) + 2"), {"scaled_check"}),
    (("    return x * SCALE", "    return x * SCALE * 1"), {"scaled_check", "doubled_check"}),
    (("SCALE = 2.0", "SCALE = 3.0"), set(WANTS)),
    (("import numpy as np", "import numpy as np\nprint(np.pi)"), set(WANTS)),
], ids=["docstring", "comment", "main-block", "default", "body", "caller", "shared-helper", "constant",
        "module-level-code"])
def test_key_changes_only_for_checks_that_reach_the_edit(edit, expected):
    """Does an edit change the keys of exactly the checks whose objects reach it: none for a
    docstring, a comment or the `if __name__` block, one check for its function's default or
    body, both callers for a shared helper, and every check for module-level code?"""
    old, new = edit
    assert old in BASE
    assert changed(BASE.replace(old, new)) == expected


def test_a_function_run_at_import_is_in_every_key():
    """Does a module-level call of a function make its body part of every check's key (it can
    break the import, and every check with it)?"""
    source = BASE.replace("SCALE = 2.0", "SCALE = 2.0\nprint(helper(1.0))")
    assert changed(source) == set(WANTS)
    assert changed(source) == {n for n, k in keys(source.replace("x * SCALE", "x * SCALE + 0")).items()
                               if k != keys(source)[n]}


def test_a_new_function_no_check_takes_changes_every_key():
    """Does a new function that no check takes (its decorator could break the import) change
    every key, while a redefinition of a function a check takes changes only that check's?"""
    assert changed(BASE + "\n\ndef unused():\n    return 1\n") == set(WANTS)
    assert changed(BASE + "\n\ndef scaled(x):\n    return x\n") == {"scaled_check"}


@pytest.mark.parametrize("snippet", [
    "def f():\n    return globals()['standardize']\n",
    "def f():\n    return eval('standardize')\n",
    "def f():\n    import sys\n    return sys.modules[__name__]\n",
    "def f():\n    global SCALE\n    SCALE = 3\n",
    "def f():\n    tf.keras.backend.set_floatx('float64')\n",
    "def f():\n    np.random.x = 1\n",
    "def f():\n    import os\n    os.environ['A'] = '1'\n",
    "from exercises.part1_tf2_basics import standardize as s2\n",
    "from numpy import *\n",
    "def f():\n    return open(__file__).read()\n",
    "def f():\n    import pathlib\n    return pathlib.Path('weights.txt').read_text()\n",
    "WEIGHTS = np.load('weights.npy')\n",
], ids=["globals", "eval", "sys.modules", "global", "set_floatx", "library-attribute", "environ",
        "course-import", "star-import", "own-file", "path-read", "data-at-import"])
def test_dynamic_lookups_and_shared_settings_key_the_whole_file(snippet):
    """Does a file whose code reaches names, files or settings its own names do not say make
    every check's key cover the whole file (and every check one group)?"""
    source = BASE + "\n\n" + snippet
    analysis = dependencies.analyse(source, "part9.py", {"exercises"}, WANTS.values())
    assert analysis.unsure
    assert len(reuse.groups(analysis, WANTS)) == 1
    assert changed(source) == set(WANTS)
    edited = dependencies.analyse(source + "\n# the end\nX = 1\n", "part9.py", {"exercises"}, WANTS.values())
    assert all(edited.digest(t) != analysis.digest(t) for t in WANTS.values())


def test_settings_changed_at_import_and_reset_seeds_are_no_reason_to_be_unsure():
    """Do module-level settings (they run at import, in every key) and seeds set in a function
    (reset before every check) leave the analysis sure?"""
    source = BASE.replace("SCALE = 2.0", "os.environ.setdefault('X', '1')\ntf.get_logger().setLevel('ERROR')\nSCALE = 2.0")
    source = source.replace("import numpy as np", "import os\nimport numpy as np")
    source += "\n\ndef seeded():\n    tf.keras.utils.set_random_seed(0)\n    np.random.seed(0)\n"
    assert dependencies.analyse(source, "part9.py", (), WANTS.values()).unsure is None


def test_checks_sharing_a_function_are_one_group_and_a_constant_joins_none():
    """Are checks whose objects reach the same learner function one group (its state, a
    tf.function's traces, is shared in a grading process), while an immutable constant joins none?"""
    analysis = dependencies.analyse(BASE, "part9.py", (), WANTS.values())
    groups = sorted(map(sorted, reuse.groups(analysis, WANTS)))
    assert groups == [["doubled_check", "scaled_check"], ["standardize_check"]]
    source = BASE.replace("SCALE = 2.0", "SCALE = [2.0]").replace("x * SCALE", "x * SCALE[0]")
    source = source.replace("return helper(x) + 1", "return x * SCALE[0] + 1").replace(
        "return helper(x) * 2", "return x * SCALE[0] * 2")
    analysis = dependencies.analyse(source, "part9.py", (), WANTS.values())
    assert sorted(map(sorted, reuse.groups(analysis, WANTS))) == groups  # a list holds state


JOINED = {  # exercises whose checks share a learner object in the reference (one grading process)
    1: [{"LinearModel", "fit_linear"}, {"DenseLayer", "build_model"}],
    2: [{"build_cnn", "compile_and_train"}],
    3: [{"load_frozen_base", "build_transfer_model", "train_head"}],
}


def test_the_reference_solutions_are_read_sure_with_a_group_per_exercise():
    """Is every reference solution read without falling back to the whole file, and are its
    checks grouped by exercise, but for the exercises whose checks take each other's objects
    (fit_linear uses LinearModel, a check of build_model takes DenseLayer, ...)?"""
    from autograder.checkkit.registry import PARTS
    from autograder.checks import checks_for

    for part, name in PARTS.items():
        source = (ROOT / "solutions" / f"{name}.py").read_text()
        wants = reuse.check_parameters(part)
        analysis = dependencies.analyse(source, name, reuse.first_party(), wants.values())
        assert analysis.unsure is None, (part, analysis.unsure)
        exercise = {c.name: c.exercise for c in checks_for(part)}
        joined = [{exercise[n] for n in group} for group in reuse.groups(analysis, wants)]
        assert sorted(map(sorted, (g for g in joined if len(g) > 1))) == sorted(map(sorted, JOINED[part]))
        assert sum(map(len, joined)) == len(set(exercise.values()))  # no exercise in two groups


def test_uncompilable_file_raises():
    """Does a file Python cannot compile (a half-typed line; `return` outside a function, which
    ast.parse accepts) raise SyntaxError, so that nothing is reused?"""
    for source in ("def f(:\n", "return 1\n"):
        with pytest.raises(SyntaxError):
            dependencies.analyse(source, "part9.py")


# ---------------------------------------------------------------- restoring a kept outcome
def entry(message, layout, files=()):
    return {"key": "k", "result": {"name": "c", "part": 9, "exercise": "e", "status": "error",
                                   "score": 0, "max_score": 2, "message": message},
            "layout": [list(s) for s in layout], "files": list(files)}


def test_restored_message_follows_its_line_when_the_function_moved(tmp_path):
    """Does a kept message naming "line N of your file" name the same statement's new line when
    lines were added above it, and is it not reused when the statement's text changed (a comment
    in the quoted line) or another line number cannot be placed?"""
    old = [(10, 14, "aaa"), (20, 30, "bbb")]
    moved = [(12, 16, "aaa"), (25, 35, "bbb")]
    kept = entry("your code raised X (line 27 of your file: return y)", old)
    restored = store.restore(kept, moved, tmp_path, tmp_path)
    assert restored["message"] == "your code raised X (line 32 of your file: return y)" and restored["cached"]
    assert store.restore(kept, [(12, 16, "aaa"), (25, 35, "ccc")], tmp_path, tmp_path) is None
    assert store.restore(entry("raised X at line 40 of keras/layer.py", old), moved, tmp_path, tmp_path) is None
    assert store.restore(entry("raised X at line 40 of keras/layer.py", old), old, tmp_path, tmp_path) is not None
    assert store.restore(entry("wrong value", old), [(1, 2, "zzz")], tmp_path, tmp_path)["message"] == "wrong value"


def test_restored_pictures_are_copied_back(tmp_path):
    """Does a kept outcome's picture come back into the reports folder, and is an outcome whose
    picture went missing from the store not reused?"""
    files = tmp_path / "store"
    (files / "k").mkdir(parents=True)
    (files / "k" / "p.png").write_bytes(b"png")
    reports = tmp_path / "reports"
    restored = store.restore(entry("ok", [], ["p.png"]), [], files, reports)
    assert restored["files"] == [str(reports / "p.png")] and (reports / "p.png").read_bytes() == b"png"
    (files / "k" / "p.png").unlink()
    assert store.restore(entry("ok", [], ["p.png"]), [], files, reports) is None


def test_only_verdicts_on_the_learners_code_are_kept():
    """Are passes, wrong values and the learner's exceptions kept, and timeouts, crashes,
    tampering, import failures and the grader's own failures not?"""
    def result(status, body, **extra):
        return {"part": 9, "exercise": "e", "status": status, "message": f"part 9, e: {body}", **extra}

    assert store.keepable(result("passed", ""))
    assert store.keepable(result("failed", "should be 1, got 2"))
    assert store.keepable(result("error", "your code raised ValueError: bad"))
    assert not store.keepable(result("error", "timed out after 15 s while running this check."))
    assert not store.keepable(result("error", "the process crashed", problem="crash"))
    assert not store.keepable(result("error", "your code replaced numpy.mean, which ..."))
    assert not store.keepable(result("error", "your file could not be imported: ..."))
    assert not store.keepable(result("grading failure", "not graded", problem="grading failure"))


def test_fingerprint_changes_with_the_grader(tmp_path):
    """Does the grader's fingerprint change when a file of autograder/ or coursekit/ changes
    (data included), and stay put otherwise?"""
    for package in ("autograder", "coursekit"):
        (tmp_path / package / "data").mkdir(parents=True)
        (tmp_path / package / "data" / "x.npz").write_bytes(b"1")
    before = store.fingerprint(root=tmp_path)
    assert store.fingerprint(root=tmp_path) == before
    (tmp_path / "coursekit" / "data" / "x.npz").write_bytes(b"2")
    assert store.fingerprint(root=tmp_path) != before
    assert store.fingerprint(check_timeout=5, root=tmp_path) != store.fingerprint(root=tmp_path)


def test_check_parameters_match_the_registry():
    """Does the parent's reading of the checks' parameters (ast, no TensorFlow) give the
    registry's `wants` for every check?"""
    from autograder.checkkit.registry import PARTS
    from autograder.checks import checks_for

    for part in PARTS:
        assert reuse.check_parameters(part) == {c.name: c.wants for c in checks_for(part)}


def test_first_party_names_the_course_folders_but_not_the_grader():
    """Are the course's own folders first-party (a learner's file importing them cannot be
    keyed), and the grader's, covered by the fingerprint, not?"""
    names = reuse.first_party()
    assert {"exercises", "solutions", "tests"} <= names
    assert not {"autograder", "coursekit"} & names
    assert pathlib.Path(ROOT / "exercises").is_dir()


def test_a_kept_outcome_says_so_on_its_line_and_in_results_json():
    """Does a kept outcome's progress line end in "(kept)" instead of its seconds, and its
    results.json entry carry `"cached": true` (and a graded one no such key)?"""
    from autograder.feedback import report, terminal

    result = {"part": 1, "name": "standardize_matches_numpy", "exercise": "standardize", "summary": "Check",
              "status": "passed", "score": 2, "max_score": 2, "hidden": False, "message": "", "duration": 0.1}
    kept = dict(result, cached=True)
    assert terminal.finished_line(1, kept, None).endswith("standardize: standardize_matches_numpy (kept)")
    assert terminal.finished_line(1, result, 0.1).endswith("(0.1 s)")
    tests = report.gradescope_results([kept, result])["tests"]
    assert tests[0]["extra_data"]["cached"] is True and "cached" not in tests[1]["extra_data"]
