"""The course's offline data set: scikit-learn's bundled handwritten digits (1,797 images, 8x8).

Every part uses the same fixed, stratified 80/20 split so that accuracies are comparable across
parts, runs and machines. `load_digits_split` gives the images raw (float64, values 0-16, shape
(N, 8, 8)): scaling them and adding the channel axis are the learner's job in Part 2.
`load_scaled_split` reads the same split ready for a network from a data file (written by the
instructor's `make grader-data`), for Part 3 and the grader.
"""

import pathlib

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SPLIT_SEED = 42  # fixed: the grader's thresholds were measured on this split
TEST_FRACTION = 0.2
SCALED_PATH = pathlib.Path(__file__).resolve().parent / "data" / "digits_scaled.npz"
SPLIT_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_digits_split(split_seed=SPLIT_SEED, test_fraction=TEST_FRACTION):
    """Return (x_train, y_train), (x_test, y_test) of the digits, stratified by label.

    x_*: float64 array, shape (N, 8, 8), values 0-16.
    y_*: int64 array, shape (N,), values 0-9.
    With the defaults: 1,437 training and 360 test images.
    """
    digits = load_digits()
    images = digits.images.astype(np.float64)
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, random_state=split_seed, stratify=labels
    )
    return (x_train, y_train), (x_test, y_test)


def load_scaled_split(path=SCALED_PATH):
    """Return the course's split ready for a network: (x_train, y_train), (x_test, y_test).

    x_*: float32 array, shape (N, 8, 8, 1), values in [0, 1]. y_*: int64 array, shape (N,), 0-9.
    The same images, in the same order, as load_digits_split; read from a checksummed data file.
    """
    from coursekit.datafiles import checked

    with np.load(checked(path, "make grader-data"), allow_pickle=False) as arrays:
        x_train, y_train, x_test, y_test = (arrays[key] for key in SPLIT_KEYS)
    return (x_train, y_train), (x_test, y_test)


def select_classes(images, labels, classes):
    """Keep only the given classes; labels are renumbered 0..len(classes)-1 in the given order.

    Part 3 trains its base on digits 0-4 and transfers to digits 5-9 this way.
    """
    classes = list(classes)
    mask = np.isin(labels, classes)
    relabel = {c: i for i, c in enumerate(classes)}
    new_labels = np.array([relabel[int(c)] for c in labels[mask]], dtype=np.int64)
    return images[mask], new_labels
