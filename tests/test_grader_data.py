"""The data the checks read: what `make grader-data` (materials/grader_data.py) gives now, each
file guarded by its checksum, and the transfer model what its record says."""

import json
import shutil

import numpy as np
import pytest

from autograder.checkkit import thresholds
from coursekit import datafiles, digits, pretrained
from materials import grader_data

DATA_FILES = [digits.SCALED_PATH, grader_data.FEATURES_PATH, grader_data.TRANSFER_PATH,
              pretrained.BASE_PATH]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_matches_its_checksum(path):
    """Does every shipped data file match the SHA-256 beside it?"""
    assert datafiles.checked(path, "make grader-data") == path


def test_corrupt_or_missing_data_names_the_command(tmp_path):
    """Does a corrupt or missing data file stop the load with the command that rebuilds it?"""
    copy = tmp_path / digits.SCALED_PATH.name
    shutil.copy(digits.SCALED_PATH, copy)
    shutil.copy(datafiles.checksum_path(digits.SCALED_PATH), datafiles.checksum_path(copy))
    copy.write_bytes(copy.read_bytes()[:-1] + b"x")
    with pytest.raises(datafiles.DataFileError, match=r"corrupt .*`make grader-data`"):
        digits.load_scaled_split(copy)
    copy.unlink()
    with pytest.raises(datafiles.DataFileError, match=r"missing. Run `make grader-data`"):
        digits.load_scaled_split(copy)


def test_scaled_digits_equal_the_generators():
    """Are the scaled digits exactly the course's split / 16 with a channel axis, as generated now?"""
    (x_train, y_train), (x_test, y_test) = digits.load_scaled_split()
    expected = grader_data.scaled_split()
    for name, array in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test),
                        ("y_test", y_test)]:
        assert array.dtype == expected[name].dtype and np.array_equal(array, expected[name]), name
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)


def test_base_features_equal_the_generators(tf):
    """Are the stored features the shipped base's features now (float16, so up to its rounding)?"""
    from autograder.checks import part3

    stored = part3.base_features()
    for name, features in grader_data.base_features().items():
        assert stored[name].shape == features.shape
        np.testing.assert_allclose(stored[name], features.astype(np.float32), rtol=2e-3, atol=2e-3)


@pytest.mark.slow
def test_transfer_model_is_as_recorded(tf):
    """Is the stored transfer model another base than the shipped one (so its cut is not
    load_frozen_base's answer), cut as the recipe is, its head trained as recorded?"""
    from autograder.checks import part3

    record = json.loads(grader_data.TRANSFER_RECORD.read_text())
    assert record["sample_seed"] == thresholds.FINE_TUNE_SAMPLE_SEED
    assert record["head_epochs"] == thresholds.HEAD_EPOCHS
    model, base = part3.transfer_model()
    shipped = pretrained.load_base()
    recipe_layers = [layer.name for layer in shipped.layers]
    assert [layer.name for layer in base.layers] == recipe_layers[:recipe_layers.index("flatten") + 1]
    conv = base.get_layer("conv2").get_weights()[0]
    assert conv.shape == shipped.get_layer("conv2").get_weights()[0].shape
    assert not np.allclose(conv, shipped.get_layer("conv2").get_weights()[0])
    assert not base.trainable and len(model.trainable_weights) == 2
    assert float(model.optimizer.learning_rate) == pytest.approx(thresholds.HEAD_LEARNING_RATE)
    steps = -(-len(pretrained.TARGET_CLASSES) * thresholds.HEAD_PER_CLASS // thresholds.HEAD_BATCH_SIZE)
    assert int(model.optimizer.iterations) == thresholds.HEAD_EPOCHS * steps
    assert grader_data.held_out_accuracy(model) == pytest.approx(record["head_accuracy_on_5_9"], abs=1e-4)


@pytest.mark.slow
def test_head_only_accuracy_is_what_the_check_trains(tf):
    """Is the stored accuracy that fine_tune's check compares with, at the grader's seed, what
    training the transfer model's head alone gives now (to a hundredth: the bits follow the CPU's
    kernels, which is why the file is checked as CPUs allow)?"""
    from autograder.checkkit import environment
    from autograder.checks import part3

    stored = json.loads(grader_data.TRANSFER_RECORD.read_text())["head_only_accuracy"]
    assert list(stored) == [str(environment.SEED)]
    assert part3.head_only_accuracy(environment.SEED) == stored[str(environment.SEED)]
    assert part3.train_head_only(environment.SEED) == pytest.approx(stored[str(environment.SEED)], abs=0.01)

