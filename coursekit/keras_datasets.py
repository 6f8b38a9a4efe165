"""MNIST and Fashion-MNIST from `tf.keras.datasets`, in the layout of the course's digits.

For learners who are online: the same Part 2 pipeline (`preprocess`, `make_dataset`, `build_cnn`)
runs unchanged on 28x28 images. The grader never uses this module; it needs the network once,
then Keras's copy in `$KERAS_HOME/datasets`.

Two things about Keras's loaders that this module works around (Keras 3.15):
- `tf.keras.datasets.mnist.load_data(path=...)` takes a *file name* inside `$KERAS_HOME/datasets`,
  not a path ("Paths are no longer accepted"), and it checks the file's SHA-256, so it can never
  read a copy you made or a small test file: it downloads again. Pass `path=` to
  `load_keras_dataset` to read a local `.npz` with Keras's keys instead.
- `$KERAS_HOME` is read once, when Keras is imported.
"""

import numpy as np

NAMES = ("mnist", "fashion_mnist")
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")  # the keys of Keras's mnist.npz
DIGITS_MAX = 16.0  # the digits' largest pixel value, which Part 2's preprocess divides by


def load_keras_dataset(name="mnist", path=None):
    """Load MNIST or Fashion-MNIST with pixels rescaled to the digits' range.

    Args:
        name: "mnist" or "fashion_mnist".
        path: None downloads through `tf.keras.datasets.<name>.load_data()` (cached in
            `$KERAS_HOME/datasets`); otherwise a local `.npz` file with the arrays x_train,
            y_train, x_test, y_test (the layout of Keras's mnist.npz) to read instead.

    Returns:
        (x_train, y_train), (x_test, y_test):
        x_*: float64 array, shape (N, 28, 28), values 0-16 (rescaled from 0-255).
        y_*: int64 array, shape (N,), values 0-9.
    """
    if name not in NAMES:
        raise ValueError(f"load_keras_dataset: name should be one of {NAMES}, got {name!r}")
    if path is None:
        import tensorflow as tf

        (x_train, y_train), (x_test, y_test) = getattr(tf.keras.datasets, name).load_data()
    else:
        x_train, y_train, x_test, y_test = read_npz(path)
    return to_digits_layout(x_train, y_train), to_digits_layout(x_test, y_test)


def read_npz(path):
    """The four arrays of a Keras-style .npz file, checked for shapes that belong together."""
    with np.load(path, allow_pickle=False) as arrays:
        missing = [key for key in NPZ_KEYS if key not in arrays.files]
        if missing:
            raise ValueError(f"{path}: no array named {missing[0]!r}; expected {NPZ_KEYS}")
        x_train, y_train, x_test, y_test = (arrays[key] for key in NPZ_KEYS)
    for images, labels, split in [(x_train, y_train, "train"), (x_test, y_test, "test")]:
        if images.ndim != 3 or labels.shape != images.shape[:1]:
            raise ValueError(f"{path}: x_{split} should be (N, height, width) and y_{split} (N,); "
                             f"got {images.shape} and {labels.shape}")
    return x_train, y_train, x_test, y_test


def to_digits_layout(images, labels):
    """uint8 images (0-255) -> float64 (0-16), labels -> int64, as coursekit.digits returns them."""
    return images.astype(np.float64) * (DIGITS_MAX / 255.0), labels.astype(np.int64)
