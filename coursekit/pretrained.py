"""The pretrained base for Part 3: a small digits CNN trained on digits 0-4 only.

Part 3 reuses this network's convolutional layers to learn digits 5-9 from a handful of
examples. The network is shipped as `coursekit/models/digits04_base.keras` with a SHA-256
checksum beside it; `load_base()` checks the file before loading it, and
`python -m coursekit.pretrained` (what `make pretrained` runs) rebuilds both files from the
recipe below and prints the base's accuracy on the held-out test images of digits 0-4.

A .keras file is a zip archive that records the time it was saved, so two saves of the same
weights do not give the same bytes. The checksum therefore guards the file as shipped against
corruption; that the recipe is reproducible is shown by the accuracy it reaches, not by bytes.

Layers, by name: conv1, bn1, relu1, conv2, bn2, relu2, pool, flatten, hidden, dropout, logits.
`FEATURE_LAYER` ("flatten", 1,024 values per image) is where Part 3 cuts the base: the 0-4 specific
`hidden` layer transfers badly to 5-9 (a head on it reaches a median of 0.29).
"""

import hashlib
import os
import pathlib
import sys

import numpy as np

from coursekit.digits import load_digits_split, select_classes

# The recipe. Changing any of these changes the shipped base: rerun `make pretrained`.
BASE_SEED = 7
BASE_EPOCHS = 20
BASE_BATCH_SIZE = 32
BASE_LEARNING_RATE = 1e-3
SOURCE_CLASSES = (0, 1, 2, 3, 4)  # what the base learns
TARGET_CLASSES = (5, 6, 7, 8, 9)  # what Part 3 transfers it to
FEATURE_LAYER = "flatten"

MODELS_DIR = pathlib.Path(__file__).resolve().parent / "models"
BASE_PATH = MODELS_DIR / "digits04_base.keras"
CHECKSUM_PATH = MODELS_DIR / "digits04_base.sha256"


class PretrainedBaseError(RuntimeError):
    """The shipped base is missing or does not match its checksum."""


def prepare_images(raw_images):
    """Scale raw digits to [0, 1] and add a channel axis.

    raw_images: array, shape (N, 8, 8), values 0-16 (as coursekit.digits returns them).
    Returns: float32 ndarray, shape (N, 8, 8, 1), values in [0, 1].
    """
    images = np.asarray(raw_images, dtype=np.float32) / 16.0
    return images[..., np.newaxis]


def load_classes(classes):
    """Return (x_train, y_train), (x_test, y_test) for the given digits, ready for the CNN.

    x_*: float32, shape (N, 8, 8, 1), values in [0, 1]; y_*: int64, shape (N,), 0..len(classes)-1.
    The split is the course's fixed split (coursekit.digits), so test images are never trained on.
    """
    (x_train, y_train), (x_test, y_test) = load_digits_split()
    x_train, y_train = select_classes(x_train, y_train, classes)
    x_test, y_test = select_classes(x_test, y_test, classes)
    return (prepare_images(x_train), y_train), (prepare_images(x_test), y_test)


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


def build_base_recipe(num_classes=len(SOURCE_CLASSES)):
    """Return the base's architecture, untrained and uncompiled (weights drawn from Keras' RNG).

    Input float32 (batch, 8, 8, 1) in [0, 1]; output logits float32 (batch, num_classes).
    Call tf.keras.utils.set_random_seed first for reproducible initial weights.
    """
    import tensorflow as tf

    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    x = layers.Conv2D(32, 3, padding="same", use_bias=False, name="conv1")(inputs)
    x = layers.BatchNormalization(name="bn1")(x)
    x = layers.ReLU(name="relu1")(x)
    x = layers.Conv2D(64, 3, padding="same", use_bias=False, name="conv2")(x)
    x = layers.BatchNormalization(name="bn2")(x)
    x = layers.ReLU(name="relu2")(x)
    x = layers.MaxPooling2D(2, name="pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(64, activation="relu", name="hidden")(x)
    x = layers.Dropout(0.3, name="dropout")(x)
    outputs = layers.Dense(num_classes, name="logits")(x)
    return tf.keras.Model(inputs, outputs, name="digits04_base")


def train_base(seed=BASE_SEED, epochs=BASE_EPOCHS):
    """Train the recipe on the training images of digits 0-4; return the compiled model."""
    import tensorflow as tf

    (x_train, y_train), _ = load_classes(SOURCE_CLASSES)
    tf.keras.utils.set_random_seed(seed)
    model = build_base_recipe()
    model.compile(
        optimizer=tf.keras.optimizers.Adam(BASE_LEARNING_RATE),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=epochs, batch_size=BASE_BATCH_SIZE, verbose=0)
    return model


def evaluate_base(model):
    """Return the model's accuracy on the held-out test images of digits 0-4 (a float)."""
    _, (x_test, y_test) = load_classes(SOURCE_CLASSES)
    logits = model.predict(x_test, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == y_test))


def file_sha256(path):
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def save_base(model, path=BASE_PATH, checksum_path=CHECKSUM_PATH):
    """Save the model's weights in an uncompiled copy of the recipe; write the checksum beside it.

    Keras 3 ignores `include_optimizer=False` for .keras files, so a compiled model would also
    store Adam's two moments (3x the file). Copying the weights into a fresh, uncompiled model
    leaves the optimizer out.
    """
    import warnings

    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = build_base_recipe(num_classes=model.output_shape[-1])
    clean.set_weights(model.get_weights())
    with warnings.catch_warnings():
        # Keras' saver trips a NumPy deprecation ("__array__ ... copy keyword"); harmless.
        warnings.filterwarnings("ignore", message=".*__array__.*copy keyword", category=DeprecationWarning)
        clean.save(path)
    pathlib.Path(checksum_path).write_text(f"{file_sha256(path)}  {path.name}\n")
    return path


def load_base(path=BASE_PATH, checksum_path=CHECKSUM_PATH):
    """Return the shipped base (a tf.keras.Model, uncompiled) after checking its SHA-256.

    Raises PretrainedBaseError, saying to run `make pretrained`, if either file is missing or the
    model file does not match its checksum.
    """
    import tensorflow as tf

    path, checksum_path = pathlib.Path(path), pathlib.Path(checksum_path)
    fix = "Run `make pretrained` (python -m coursekit.pretrained) to rebuild it."
    for needed in (path, checksum_path):
        if not needed.is_file():
            raise PretrainedBaseError(f"pretrained base: {needed} is missing. {fix}")
    expected = (checksum_path.read_text().split() or [""])[0]
    actual = file_sha256(path)
    if actual != expected:
        raise PretrainedBaseError(
            f"pretrained base: {path} is corrupt (sha256 {actual[:12]}..., expected "
            f"{expected[:12]}... from {checksum_path.name}). {fix}"
        )
    return tf.keras.models.load_model(path, compile=False)


def main():
    """Rebuild the shipped base from the recipe and print its held-out accuracy on 0-4."""
    import time

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    # One thread each: the same seed then gives the same weights on any machine.
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    start = time.perf_counter()
    model = train_base()
    seconds = time.perf_counter() - start
    path = save_base(model)
    reloaded = load_base()
    print(f"trained in {seconds:.1f} s; saved {path} ({path.stat().st_size / 1024:.0f} KiB)")
    print(f"held-out accuracy on digits 0-4: {evaluate_base(reloaded):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
