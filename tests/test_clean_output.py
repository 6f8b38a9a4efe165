"""Clean output: nothing from TensorFlow on the grader's stderr, whatever the CPU.

On CPUs with AVX512_VNNI / BF16 / AMX, `import tensorflow` writes oneDNN's lines to file
descriptor 2 whatever TF_CPP_MIN_LOG_LEVEL says; elsewhere it writes nothing. So that these tests
prove the same thing on both kinds of machine, grading runs on a simulated noisy CPU, with
oneDNN's operations turned on and off (TF_ENABLE_ONEDNN_OPTS=1 and 0: `make test` passes on a CPU
with oneDNN and on one without).
"""

import json
import os
import subprocess
import sys

import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from conftest import ROOT
from coursekit.quiet import import_quietly

NOISE = "I0000 port.cc:153] oneDNN custom operations are on (simulated by tests/test_clean_output.py)"
NOISY_CPU = f'''"""A CPU on which importing TensorFlow writes oneDNN's lines to file descriptor 2."""
import importlib.abc
import os
import sys


class WritesWhenTensorFlowIsImported(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow":
            os.write(2, b"{NOISE}\\n")
        return None  # the real finders import it


sys.meta_path.insert(0, WritesWhenTensorFlowIsImported())
'''


def test_import_quietly_keeps_import_lines_off_stderr(tmp_path, monkeypatch, capfd):
    """Does a module that writes to descriptor 2 and to sys.stderr while it loads print nothing?"""
    (tmp_path / "noisy_module.py").write_text(
        "import os, sys\nos.write(2, b'from C\\n')\nprint('from Python', file=sys.stderr)\nVALUE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_quietly("noisy_module").VALUE == 3
    assert capfd.readouterr().err == ""
    print("after the import", file=sys.stderr)
    assert capfd.readouterr().err == "after the import\n"  # descriptor 2 is back


def test_import_quietly_passes_the_lines_on_when_the_import_fails(tmp_path, monkeypatch, capfd):
    """Does an import that fails still show what it wrote, and raise?"""
    (tmp_path / "broken_module.py").write_text(
        "import os\nos.write(2, b'libfoo.so: cannot open shared object file\\n')\nraise ImportError('no libfoo')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="no libfoo"):
        import_quietly("broken_module")
    assert "libfoo.so: cannot open shared object file" in capfd.readouterr().err


@pytest.fixture
def noisy_cpu(tmp_path):
    """An environment in which every `import tensorflow` writes oneDNN's lines first."""
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "sitecustomize.py").write_text(NOISY_CPU)
    env = dict(os.environ, PYTHONPATH=f"{tmp_path / 'cpu'}{os.pathsep}{ROOT}", TF_CPP_MIN_LOG_LEVEL="3")
    probe = subprocess.run([sys.executable, "-c", "import importlib.util; importlib.util.find_spec('tensorflow')"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert NOISE in probe.stderr  # the simulation is in place
    return env


@pytest.mark.slow
@pytest.mark.parametrize("onednn", ["1", "0"], ids=["oneDNN on", "oneDNN off"])
def test_grading_is_quiet_and_right_with_onednn_on_and_off(tmp_path, noisy_cpu, onednn):
    """With oneDNN's custom operations on (TensorFlow's own start-up lines, which TF_CPP_MIN_LOG_LEVEL
    does not stop, besides the simulated ones) and off (other kernels, so other numbers), does
    `python -m autograder` write nothing to stderr and give the reference full marks, every part?"""
    probe = subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, text=True,
                           env=dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="3"),
                           timeout=120)
    assert ("oneDNN custom operations are on" in probe.stderr) == (onednn == "1"), probe.stderr
    result = subprocess.run([sys.executable, "-m", "autograder", "--submission", "solutions",
                             "--report", str(tmp_path / "results.json")], cwd=ROOT,
                            env=dict(noisy_cpu, TF_ENABLE_ONEDNN_OPTS=onednn), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["score"] == sum(c.points for part in registry.PARTS for c in checks_for(part))


@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ["-c", "from autograder.execute.notebook import setup_notebook; setup_notebook(); import tensorflow"],
    ["-m", "coursekit.tryit", "--part", "1"],
], ids=["notebook setup cell", "make try"])
def test_notebook_setup_and_try_it_are_quiet_on_a_noisy_cpu(noisy_cpu, command):
    """Do a notebook's setup cell and `make try` keep TensorFlow's start-up lines off stderr?"""
    result = subprocess.run([sys.executable, *command], cwd=ROOT, env=noisy_cpu,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == "", result.stderr
