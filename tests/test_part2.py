"""Part 2 graded as it should be: the reference over several seeds, the stub, every wrong answer,
the pictures `make grade PART=2` writes, and the online loader on files the tests write."""

import gzip
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from autograder.checkkit import environment, thresholds
from autograder.checks import checks_for
from conftest import (
    ROOT,
    WRONG_ANSWERS,
    assert_every_check_caught,
    assert_loses_exactly_declared,
    assert_reference_passes,
    assert_stub_not_attempted,
)

PART = 2
MISTAKES = sorted((WRONG_ANSWERS / "part2").glob("*.py"))
REFERENCE_SEEDS = [environment.SEED, 1, 2, 3, 4]  # the grader's own seed and four others
PICTURE_SIZES = {"part2_samples.png": "SAMPLES_SIZE", "part2_training_curves.png": "CURVES_SIZE",
                 "part2_confusion_matrix.png": "CONFUSION_SIZE"}


@pytest.fixture(autouse=True)
def reports_in_tmp(tmp_path, monkeypatch):
    """Checks draw pictures beside the report: keep the tests' pictures out of reports/."""
    monkeypatch.setenv("AUTOGRADER_REPORTS_DIR", str(tmp_path / "reports"))


def test_part2_has_at_least_eight_checks():
    """Does Part 2 grade at least eight checks, worth some points each?"""
    checks = checks_for(PART)
    assert len(checks) >= 8 and all(c.points > 0 for c in checks)


@pytest.mark.slow
@pytest.mark.parametrize("seed", REFERENCE_SEEDS)
def test_reference_gets_full_marks(seed):
    """Does the reference pass every Part 2 check from each of five grader seeds?"""
    assert_reference_passes(PART, seed)


def test_stub_is_not_attempted():
    """Does the untouched stub fail every check with 'not attempted yet'?"""
    assert_stub_not_attempted(PART)


def test_every_check_has_a_wrong_answer():
    """Is every Part 2 check failed by at least one wrong answer in the bank?"""
    assert_every_check_caught(PART, MISTAKES)


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda p: p.stem)
def test_wrong_answer_loses_exactly_its_checks(mistake, tmp_path):
    """Does each realistic mistake lose exactly the checks it should, with feedback, and no others?"""
    assert_loses_exactly_declared(tmp_path, PART, mistake)


def test_learner_budget_is_the_graders():
    """Does the part's text state the parameter budget the grader enforces?"""
    from solutions import part2_cnn

    assert part2_cnn.PARAMETER_BUDGET == thresholds.CNN_PARAMETER_BUDGET


# ---------------------------------------------------------------- make grade PART=2 and its pictures
@pytest.fixture(scope="module")
def graded_reference(tmp_path_factory):
    """`python -m autograder --part 2 --submission solutions`, as `make grade` runs it."""
    report = tmp_path_factory.mktemp("grade") / "results.json"
    result = subprocess.run([sys.executable, "-m", "autograder", "--part", "2", "--submission",
                             "solutions", "--report", str(report)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    return result, report


@pytest.mark.slow
def test_grade_command_gives_full_marks_quietly(graded_reference):
    """Does grading the reference from the command line give full marks, with nothing on stderr?"""
    result, report = graded_reference
    assert result.returncode == 0 and result.stderr == "", result.stderr
    results = json.loads(report.read_text())
    assert results["score"] == results["max_score"] == sum(c.points for c in checks_for(PART))


@pytest.mark.slow
def test_grade_command_writes_the_pictures(graded_reference):
    """Are the three pictures valid PNGs of their stated size, beside results.json, and does the
    table say where they are?"""
    from PIL import Image

    from coursekit import pictures

    result, report = graded_reference
    table = " ".join(result.stdout.split())
    assert "pictures: " + ", ".join(str(report.parent / name) for name in PICTURE_SIZES) in table
    for name, size in PICTURE_SIZES.items():
        path = report.parent / name
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == pictures.pixel_size(getattr(pictures, size)), name
            image.verify()


# ---------------------------------------------------------------- the online loader, offline
def fake_mnist(rng, train=12, test=5):
    return {"x_train": rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
            "y_train": rng.integers(0, 10, train, dtype=np.uint8),
            "x_test": rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
            "y_test": rng.integers(0, 10, test, dtype=np.uint8)}


def check_pipeline(train, test, arrays, tf):
    """The loaded arrays are the fake ones in the digits' layout, and Part 2's pipeline takes them."""
    from solutions import part2_cnn

    (x_train, y_train), (x_test, y_test) = train, test
    assert x_train.dtype == np.float64 and y_train.dtype == np.int64
    np.testing.assert_allclose(x_train, arrays["x_train"] * 16.0 / 255.0)
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    images, labels = part2_cnn.preprocess(x_train, y_train)
    dataset = part2_cnn.make_dataset(images, labels, batch_size=8, training=True)
    assert dataset.element_spec[0].shape.as_list() == [None, 28, 28, 1]
    batch = next(iter(dataset))[0]
    assert tuple(part2_cnn.build_cnn(input_shape=(28, 28, 1))(batch).shape) == (8, 10)


def test_load_keras_dataset_reads_a_local_mnist_npz(tmp_path, tf):
    """Does load_keras_dataset(path=...) read a file in mnist.npz's layout, ready for Part 2's pipeline?"""
    from coursekit.keras_datasets import load_keras_dataset

    arrays = fake_mnist(np.random.default_rng(0))
    np.savez(tmp_path / "mnist.npz", **arrays)
    train, test = load_keras_dataset("mnist", path=str(tmp_path / "mnist.npz"))
    check_pipeline(train, test, arrays, tf)


def test_load_keras_dataset_names_a_missing_array(tmp_path):
    """Does a .npz without one of Keras's keys fail with the key's name?"""
    from coursekit.keras_datasets import load_keras_dataset

    arrays = fake_mnist(np.random.default_rng(1))
    del arrays["y_test"]
    np.savez(tmp_path / "partial.npz", **arrays)
    with pytest.raises(ValueError, match="y_test"):
        load_keras_dataset("mnist", path=tmp_path / "partial.npz")


def write_idx(path, array):
    """An IDX file as Fashion-MNIST ships it (gzip; 8-byte label or 16-byte image header)."""
    header = bytes(16 if array.ndim == 3 else 8)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.tobytes())


LOAD_FASHION = """
import json, sys
from coursekit.keras_datasets import load_keras_dataset
(x_train, y_train), (x_test, y_test) = load_keras_dataset("fashion_mnist")
print(json.dumps({"shape": x_train.shape, "max": float(x_train.max()), "labels": y_test.tolist()}))
"""


@pytest.mark.slow
def test_load_keras_dataset_uses_keras_loader_offline(tmp_path):
    """Does load_keras_dataset("fashion_mnist") go through Keras's real loader and its cache?

    Keras reads KERAS_HOME when it is imported, so this runs in a child process whose KERAS_HOME
    holds the four small files the test wrote where Keras caches Fashion-MNIST: nothing downloads.
    """
    arrays = fake_mnist(np.random.default_rng(2))
    folder = tmp_path / "keras" / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    for key, name in [("y_train", "train-labels"), ("x_train", "train-images"),
                      ("y_test", "t10k-labels"), ("x_test", "t10k-images")]:
        write_idx(folder / f"{name}-idx{3 if key.startswith('x') else 1}-ubyte.gz", arrays[key])
    env = dict(os.environ, KERAS_HOME=str(tmp_path / "keras"), PYTHONPATH=str(ROOT),
               TF_CPP_MIN_LOG_LEVEL="3", https_proxy="http://127.0.0.1:9", http_proxy="http://127.0.0.1:9")
    result = subprocess.run([sys.executable, "-c", LOAD_FASHION], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert loaded["shape"] == [12, 28, 28]
    assert loaded["max"] == pytest.approx(arrays["x_train"].max() * 16.0 / 255.0)
    assert loaded["labels"] == arrays["y_test"].tolist()
