"""The pretrained base for Part 3: a small digits CNN trained on digits 0-4 only.

Part 3 reuses this network's convolutional layers to learn digits 5-9 from a handful of
examples. The network is shipped as `coursekit/models/digits04_base.keras` with a SHA-256
checksum beside it; `load_base()` checks the file before loading it. Its recipe (architecture,
training, saving) is instructor material (materials/pretrain.py, `make pretrained`).

Layers, by name: conv1, bn1, relu1, conv2, bn2, relu2, pool, flatten, hidden, dropout, logits.
`FEATURE_LAYER` ("flatten", 1,024 values per image) is where Part 3 cuts the base: the 0-4 specific
`hidden` layer transfers badly to 5-9 (a head on it reaches a median of 0.29).
"""

import pathlib

import numpy as np

from coursekit.datafiles import checked
from coursekit.digits import load_scaled_split, select_classes

SOURCE_CLASSES = (0, 1, 2, 3, 4)  # what the base learned
TARGET_CLASSES = (5, 6, 7, 8, 9)  # what Part 3 transfers it to
FEATURE_LAYER = "flatten"

MODELS_DIR = pathlib.Path(__file__).resolve().parent / "models"
BASE_PATH = MODELS_DIR / "digits04_base.keras"


def load_classes(classes):
    """Return (x_train, y_train), (x_test, y_test) for the given digits, ready for the CNN.

    x_*: float32, shape (N, 8, 8, 1), values in [0, 1]; y_*: int64, shape (N,), 0..len(classes)-1.
    The split is the course's fixed split (coursekit.digits), so test images are never trained on.
    """
    (x_train, y_train), (x_test, y_test) = load_scaled_split()
    return select_classes(x_train, y_train, classes), select_classes(x_test, y_test, classes)


def sample_per_class(images, labels, per_class, seed):
    """Pick `per_class` examples of every label at random (without replacement), shuffled.

    Returns (images, labels) with len(np.unique(labels)) * per_class rows. `per_class=None`
    returns every example, shuffled.
    """
    rng = np.random.default_rng(seed)
    chosen = []
    for label in np.unique(labels):
        indices = np.flatnonzero(labels == label)
        count = len(indices) if per_class is None else per_class
        chosen.append(rng.choice(indices, size=count, replace=False))
    chosen = rng.permutation(np.concatenate(chosen))
    return images[chosen], labels[chosen]


def load_base(path=BASE_PATH):
    """Return the shipped base (a tf.keras.Model, uncompiled) after checking its SHA-256.

    Raises coursekit.datafiles.DataFileError, saying to run `make pretrained`, if the file or its
    checksum is missing or they do not match.
    """
    import tensorflow as tf

    return tf.keras.models.load_model(checked(path, "make pretrained"), compile=False)
