"""Measure Part 2's reference CNN and the weak models the grader's accuracy threshold must reject.

For each seed (tf.keras.utils.set_random_seed(seed), shuffle seed = seed) it trains, with the
grader's budget, and scores on the held-out digits split:
  reference      build_cnn, EPOCHS epochs
  augmented      the reference with make_augmentation() in front (to decide whether to use it)
  no_hidden      Flatten -> Dense(10) logits, EPOCHS epochs        (weak: must be rejected)
  one_epoch      build_cnn, 1 epoch                                (weak: must be rejected)
  unscaled       build_cnn on raw 0-16 pixels, EPOCHS epochs       (weak: must be rejected)
and prints min/median/max accuracy and seconds per run (fit + evaluation, import excluded),
then a proposed threshold with its margins. It also checks that make_train_step traces once
over a full and a partial batch.

Run from the repository root:
  TF_CPP_MIN_LOG_LEVEL=3 KERAS_HOME=$PWD/.keras PYTHONPATH=$PWD .venv/bin/python scripts/measure_part2.py
Options: --seeds N (default 20), --epochs, --batch-size, --variants a,b,c.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")  # each new model's predict function counts as a retrace

from coursekit.digits import load_digits_split
from solutions import part2_cnn

EPOCHS = 5  # the grader's budget: the reference trains in about 4-5 s on 2 cores
BATCH_SIZE = 32
WEAK_VARIANTS = ("no_hidden", "one_epoch", "unscaled")


def build_no_hidden(input_shape=(8, 8, 1), num_classes=10):
    """A linear model: Flatten -> Dense(num_classes) logits, no hidden layer."""
    inputs = tf.keras.Input(shape=input_shape)
    logits = tf.keras.layers.Dense(num_classes)(tf.keras.layers.Flatten()(inputs))
    return tf.keras.Model(inputs, logits, name="no_hidden")


def build_augmented(input_shape=(8, 8, 1), num_classes=10):
    """The reference CNN with the augmentation block in front of it."""
    inputs = tf.keras.Input(shape=input_shape)
    augmented = part2_cnn.make_augmentation()(inputs)
    logits = part2_cnn.build_cnn(input_shape, num_classes)(augmented)
    return tf.keras.Model(inputs, logits, name="augmented_cnn")


def run_once(variant, seed, data, epochs, batch_size):
    """Train one variant with one seed; return (test accuracy, seconds)."""
    (x_train, y_train), (x_test, y_test), (x_train_raw, x_test_raw) = data
    if variant == "unscaled":
        x_train, x_test = x_train_raw, x_test_raw
    builders = {"no_hidden": build_no_hidden, "augmented": build_augmented}
    builder = builders.get(variant, part2_cnn.build_cnn)
    variant_epochs = 1 if variant == "one_epoch" else epochs

    tf.keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    model = builder()
    train_ds = part2_cnn.make_dataset(x_train, y_train, batch_size, training=True, seed=seed)
    test_ds = part2_cnn.make_dataset(x_test, y_test, batch_size, training=False)
    part2_cnn.compile_and_train(model, train_ds, test_ds, variant_epochs)
    accuracy = part2_cnn.evaluate_accuracy(model, x_test, y_test)
    return accuracy, time.perf_counter() - start


def measure_tracing(data, batch_size):
    """Return make_train_step's tracing count after one full and one partial batch."""
    (x_train, y_train), _, _ = data
    model = part2_cnn.build_cnn()
    train_step = part2_cnn.make_train_step(
        model,
        tf.keras.optimizers.Adam(),
        tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    partial = len(x_train) % batch_size or batch_size - 1
    train_step(tf.constant(x_train[:batch_size]), tf.constant(y_train[:batch_size]))
    after_full = train_step.experimental_get_tracing_count()
    train_step(tf.constant(x_train[:partial]), tf.constant(y_train[:partial]))
    return after_full, train_step.experimental_get_tracing_count(), partial


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--variants", default="reference,augmented," + ",".join(WEAK_VARIANTS)
    )
    args = parser.parse_args()

    (x_train_raw, y_train), (x_test_raw, y_test) = load_digits_split()
    x_train, y_train = part2_cnn.preprocess(x_train_raw, y_train)
    x_test, y_test = part2_cnn.preprocess(x_test_raw, y_test)
    raw = (x_train_raw[..., np.newaxis].astype(np.float32), x_test_raw[..., np.newaxis].astype(np.float32))
    data = ((x_train, y_train), (x_test, y_test), raw)

    after_full, after_partial, partial = measure_tracing(data, args.batch_size)
    print(f"train_step tracing count: {after_full} after a full batch of {args.batch_size}, "
          f"{after_partial} after a partial batch of {partial}", flush=True)

    print(f"budget: {args.epochs} epochs, batch {args.batch_size}, {args.seeds} seeds", flush=True)
    print(f"{'variant':<10} {'min':>6} {'median':>6} {'max':>6} {'s/run min':>9} {'median':>6} {'max':>6}")
    results = {}
    for variant in args.variants.split(","):
        runs = [run_once(variant, seed, data, args.epochs, args.batch_size) for seed in range(args.seeds)]
        accuracies = [accuracy for accuracy, _ in runs]
        seconds = [elapsed for _, elapsed in runs]
        results[variant] = accuracies
        print(f"{variant:<10} {min(accuracies):6.3f} {statistics.median(accuracies):6.3f} "
              f"{max(accuracies):6.3f} {min(seconds):9.2f} {statistics.median(seconds):6.2f} "
              f"{max(seconds):6.2f}", flush=True)
        print(f"  per seed: {' '.join(f'{a:.3f}' for a in accuracies)}", flush=True)

    if "reference" not in results:
        return
    worst_reference = min(results["reference"])
    separable = [v for v in WEAK_VARIANTS if v in results and max(results[v]) < worst_reference]
    for variant in WEAK_VARIANTS:
        if variant in results and variant not in separable:
            print(f"{variant}: best seed {max(results[variant]):.3f} >= worst reference seed "
                  f"{worst_reference:.3f}: an accuracy threshold cannot reject it; check it directly")
    if separable:
        best_weak = max(max(results[v]) for v in separable)
        threshold = np.floor((worst_reference + best_weak) / 2 * 100) / 100
        print(f"proposed threshold {threshold:.2f}: margin {worst_reference - threshold:+.3f} over "
              f"the worst reference seed ({worst_reference:.3f}), {threshold - best_weak:+.3f} over "
              f"the best seed of {', '.join(separable)} ({best_weak:.3f})")
        for variant in separable:
            print(f"  {variant}: best seed {max(results[variant]):.3f}, "
                  f"margin {threshold - max(results[variant]):+.3f}")

if __name__ == "__main__":
    main()
