"""`make grader-data`: the data files the checks read, so that nothing learners get computes an
exercise's answer (instructor material).

    python -m materials.grader_data

Writes, each with its SHA-256 beside it (coursekit/datafiles.py checks it on every load):

    coursekit/data/digits_scaled.npz      the course's split scaled to [0, 1], with a channel axis:
                                          Part 3's images (coursekit.pretrained.load_classes) and
                                          Part 2's grader (coursekit.digits.load_scaled_split)
    autograder/data/part3_features.npz    the shipped base's "flatten" features of every image of
                                          5-9 (train and test split, float16): load_frozen_base's
                                          expected values and fit_linear_classifier's inputs
    autograder/data/part3_transfer.keras  a transfer model for fine_tune's checks: a base trained
                                          by the recipe from another seed (so its cut is not
                                          load_frozen_base's answer), cut at "flatten" and frozen,
                                          with a Dropout + Dense head trained HEAD_EPOCHS epochs on
                                          HEAD_PER_CLASS images per class; saved compiled, with
                                          Adam's state, as after train_head
    autograder/data/part3_transfer.json   what that model was made from, and its accuracies (its
                                          head trained alone from the grader's seed: what
                                          fine_tune's check compares with)

The pretrained base comes first: after `make pretrained`, run this again. TensorFlow runs on one
thread, so the same seeds give the same model on any machine; tests/test_grader_data.py checks
that the files hold what this module computes now.
"""

import json
import pathlib
import sys

import numpy as np

from autograder.checkkit import thresholds
from coursekit import digits, pretrained
from coursekit.datafiles import write_checksum
from materials import pretrain

ROOT = pathlib.Path(__file__).resolve().parent.parent
GRADER_DATA = ROOT / "autograder" / "data"
FEATURES_PATH = GRADER_DATA / "part3_features.npz"
TRANSFER_PATH = GRADER_DATA / "part3_transfer.keras"
TRANSFER_RECORD = GRADER_DATA / "part3_transfer.json"
TRANSFER_BASE_SEED = pretrain.BASE_SEED + 1  # another base than the shipped one
TRANSFER_HEAD_SEED = 0  # the head's initial weights and dropout


def scaled_split():
    """{x_train, y_train, x_test, y_test}: the course's split as Part 2's preprocess makes it."""
    (x_train, y_train), (x_test, y_test) = digits.load_digits_split()
    scale = lambda images: (images / 16.0).astype(np.float32)[..., np.newaxis]  # noqa: E731
    return {"x_train": scale(x_train), "y_train": y_train.astype(np.int64),
            "x_test": scale(x_test), "y_test": y_test.astype(np.int64)}


def target_images():
    """(train images, test images) of 5-9 from the scaled split, in load_classes's order."""
    split = scaled_split()
    return tuple(digits.select_classes(split[f"x_{name}"], split[f"y_{name}"],
                                       pretrained.TARGET_CLASSES)[0] for name in ("train", "test"))


def cut_at_features(full):
    """The network up to its FEATURE_LAYER, as a model of its own, frozen."""
    import tensorflow as tf

    cut = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")
    cut.trainable = False
    return cut


def base_features():
    """{train, test}: the shipped base's features of the images of 5-9, stored as float16 (half the
    file of float32: 1.4 MB; over 21 seeds the linear classifier's accuracy moved by one image
    at one seed, scripts/measure_part3_grader.py)."""
    base = cut_at_features(pretrained.load_base())
    return {name: np.asarray(base.predict(images, batch_size=256, verbose=0), dtype=np.float16)
            for name, images in zip(("train", "test"), target_images())}


def transfer_model():
    """(the compiled transfer model after its head's training, a record of how it was made)."""
    import tensorflow as tf

    full = pretrain.train_base(seed=TRANSFER_BASE_SEED)
    base_accuracy = pretrain.evaluate_base(full)
    base = cut_at_features(full)
    tf.keras.utils.set_random_seed(TRANSFER_HEAD_SEED)
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    x = tf.keras.layers.Dropout(0.2, name="head_dropout")(base(inputs, training=False))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(len(pretrained.TARGET_CLASSES), name="head")(x),
                           name="transfer")
    model.compile(optimizer=tf.keras.optimizers.Adam(thresholds.HEAD_LEARNING_RATE),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    (x_train, y_train), _ = pretrained.load_classes(pretrained.TARGET_CLASSES)
    images, labels = pretrained.sample_per_class(x_train, y_train, thresholds.HEAD_PER_CLASS,
                                                 thresholds.FINE_TUNE_SAMPLE_SEED)
    model.fit(images, labels, epochs=thresholds.HEAD_EPOCHS, batch_size=thresholds.HEAD_BATCH_SIZE,
              verbose=0)
    record = {"base_seed": TRANSFER_BASE_SEED, "head_seed": TRANSFER_HEAD_SEED,
              "sample_seed": thresholds.FINE_TUNE_SAMPLE_SEED, "head_epochs": thresholds.HEAD_EPOCHS,
              "base_accuracy_on_0_4": round(base_accuracy, 4),
              "head_accuracy_on_5_9": round(held_out_accuracy(model), 4)}
    return model, record


def head_only_at_the_graders_seed():
    """{seed: accuracy}: what fine_tune's check compares with at the grader's seed, the stored
    transfer model's head trained FINE_TUNE_EPOCHS more epochs alone, as the check trains it."""
    from autograder.checkkit import environment
    from autograder.checks import part3

    return {str(environment.SEED): round(part3.train_head_only(environment.SEED), 4)}


def held_out_accuracy(model):
    """The model's accuracy on the held-out test images of 5-9."""
    _, (x_test, y_test) = pretrained.load_classes(pretrained.TARGET_CLASSES)
    return float(np.mean(model.predict(x_test, verbose=0).argmax(axis=1) == y_test))


def save_arrays(path, arrays):
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    write_checksum(path)
    return path


def size(path):
    return f"{path.stat().st_size / 1024:.0f} KiB"


def main():
    pretrain.one_thread()
    path = save_arrays(digits.SCALED_PATH, scaled_split())
    print(f"wrote {path} ({size(path)})", flush=True)
    path = save_arrays(FEATURES_PATH, base_features())
    print(f"wrote {path} ({size(path)})", flush=True)
    model, record = transfer_model()
    pretrain.save_quietly(model, TRANSFER_PATH)
    write_checksum(TRANSFER_PATH)
    record["head_only_accuracy"] = head_only_at_the_graders_seed()
    TRANSFER_RECORD.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {TRANSFER_PATH} ({size(TRANSFER_PATH)}): {record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
