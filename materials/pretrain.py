"""`make pretrained`: rebuild Part 3's pretrained base from its recipe (instructor material).

    python -m materials.pretrain

Trains the recipe on the training images of digits 0-4, saves it as
coursekit/models/digits04_base.keras with its checksum, and prints its held-out accuracy on 0-4.
The grader's data depend on this base: run `make grader-data` afterwards.

A .keras file is a zip archive that records the time it was saved, so two saves of the same
weights do not give the same bytes. The checksum therefore guards the file as shipped against
corruption; that the recipe is reproducible is shown by the accuracy it reaches, not by bytes.
"""

import os
import pathlib
import sys
import warnings

import numpy as np

from coursekit.datafiles import write_checksum
from coursekit.pretrained import BASE_PATH, SOURCE_CLASSES, load_base, load_classes
from coursekit.quiet import import_quietly

# The recipe. Changing any of these changes the shipped base: rerun `make pretrained`.
BASE_SEED = 7
BASE_EPOCHS = 20
BASE_BATCH_SIZE = 32
BASE_LEARNING_RATE = 1e-3


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


def save_quietly(model, path):
    """model.save(path), without the NumPy deprecation Keras' saver trips ("__array__ ... copy
    keyword"; harmless)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*__array__.*copy keyword", category=DeprecationWarning)
        model.save(path)
    return path


def save_base(model, path=BASE_PATH):
    """Save the model's weights in an uncompiled copy of the recipe; write the checksum beside it.

    Keras 3 ignores `include_optimizer=False` for .keras files, so a compiled model would also
    store Adam's two moments (3x the file). Copying the weights into a fresh, uncompiled model
    leaves the optimizer out.
    """
    clean = build_base_recipe(num_classes=model.output_shape[-1])
    clean.set_weights(model.get_weights())
    save_quietly(clean, path)
    write_checksum(path)
    return pathlib.Path(path)


def one_thread():
    """Import TensorFlow quietly (without oneDNN's start-up lines: coursekit/quiet.py) on one
    thread: the same seed then gives the same weights, run after run, on one kind of machine
    (whether oneDNN is on changes them)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = import_quietly("tensorflow")

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.get_logger().setLevel("ERROR")  # retracing warnings of predict
    return tf


def main():
    """Rebuild the shipped base from the recipe and print its held-out accuracy on 0-4."""
    import time

    one_thread()
    start = time.perf_counter()
    model = train_base()
    seconds = time.perf_counter() - start
    path = save_base(model)
    reloaded = load_base()
    print(f"trained in {seconds:.1f} s; saved {path} ({path.stat().st_size / 1024:.0f} KiB)")
    print(f"held-out accuracy on digits 0-4: {evaluate_base(reloaded):.3f}")
    print("the grader's data depend on this base: run `make grader-data` now")
    return 0


if __name__ == "__main__":
    sys.exit(main())
