"""Measure Part 2's thresholds over seeds, through the grader's own training and train-step code.

Each network is a learner's file, trained by the grader's `train_learner_model`
(autograder/checks/part2.py: the grader's training feed, CNN_EPOCHS epochs, batches of
CNN_BATCH_SIZE) and scored as the accuracy check scores it (arg max of the model's outputs on
the held-out split):
  reference                   the reference solution
  every correct variant       tests/correct_variants/part2/ that changes build_cnn or
                              compile_and_train (BatchNormalization after each convolution, two
                              pools, nested blocks, ...): each must pass at every seed
  every wrong answer          tests/wrong_answers/part2/ that declares it loses cnn_test_accuracy
                              and trains (one epoch, no hidden layer, a probability loss): each
                              must fail at every seed
  augmented                   the reference behind the reference's make_augmentation, which the
                              lesson tells learners to leave out at this budget (information)
It prints min/median/max accuracy and seconds per run (training only) per file, then the
threshold's margins: the worst correct seed above it, the best wrong seed below it. It also
measures the train-step check's loss ratio (TRAIN_STEP_LOSS_RATIO) for the reference.

Earlier measurements (20 seeds, 5 epochs): on raw 0-16 pixels the reference scores *higher*
(0.972-0.992), so preprocess is checked directly, never through accuracy; a Keras MLP reaches
about 0.922, so the grader checks for a Conv2D. At 8 epochs, augmentation in front of the
reference lowers the median from 0.982 to 0.939 (worst 0.900), so build_cnn leaves it out.

Run from the repository root (about 30 minutes on 2 quiet cores):
  TF_CPP_MIN_LOG_LEVEL=3 KERAS_HOME=$PWD/.keras PYTHONPATH=$PWD .venv/bin/python scripts/measure_part2.py
Options: --seeds N (default 20), --only name,name (file stems, or "reference"), --augmentation
(only the augmentation check's threshold, AUGMENTATION_RECOGNISED: a minute).
"""

import argparse
import pathlib
import statistics
import tempfile

from autograder.checkkit import environment

tf = environment.quiet_tensorflow()

import numpy as np  # noqa: E402

from autograder.checkkit import thresholds  # noqa: E402
from autograder.checks import part2 as checks  # noqa: E402
from autograder.execute.learner_module import import_part  # noqa: E402
from materials import banks  # noqa: E402

PART = 2
TRAINED = {"build_cnn", "compile_and_train"}
AUGMENTED = '''
def build_cnn(input_shape=(8, 8, 1), num_classes=10, _reference=build_cnn):
    inputs = tf.keras.Input(shape=input_shape)
    return tf.keras.Model(inputs, _reference(input_shape, num_classes)(make_augmentation()(inputs)))
'''  # the reference behind the reference's augmentation: what the lesson says it costs


def networks(folder):
    """{name: (path of the learner's file, must pass: True, False or None for "either")} for every
    file that trains differently."""
    augmented = pathlib.Path(folder) / "augmented.py"
    augmented.write_text(AUGMENTED)
    found = {"reference": (banks.reference_file(PART), True), "augmented": (augmented, None)}
    for path in banks.bank(banks.CORRECT_VARIANTS, PART):
        if banks.defined_names(path) & TRAINED:
            found[path.stem] = (path, True)
    for path in banks.bank(banks.WRONG_ANSWERS, PART):
        if "cnn_test_accuracy" in banks.declared_losses(path) and "subclassed" not in path.stem:
            found[path.stem] = (path, False)  # a subclass fails before training, by its type
    return found


VERDICTS = {True: "pass", False: "FAIL", None: "info"}


def learner_module(name, path, folder):
    if name == "reference":
        return import_part(path, PART)
    return import_part(banks.compose(PART, path, folder), PART)


def accuracy_of(module, seed):
    """(test accuracy, training seconds) as the grader's accuracy check computes them."""
    run = checks.train_learner_model(module.build_cnn, module.compile_and_train, seed)
    x_test, y_test = checks.digits()[1]
    predictions = np.asarray(run.model(x_test, training=False)).argmax(axis=1)
    return float(np.mean(predictions == y_test)), run.seconds


BOUNDARY_AUGMENTATION = '''
def make_augmentation():
    return tf.keras.Sequential([tf.keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant"),
                                tf.keras.layers.RandomRotation(0.083, fill_mode="constant"),
                                tf.keras.layers.RandomZoom(0.2, fill_mode="constant")])
'''  # a pixel's shift, 30-degree rotations and 20% zooms together: the most a correct one does


def measure_augmentation(seeds, folder):
    """AUGMENTATION_RECOGNISED's margins: the reference, the correct variants and the boundary
    design must stay above it at every seed, the wrong answers that lose the check below."""
    boundary = pathlib.Path(folder) / "boundary.py"
    boundary.write_text(BOUNDARY_AUGMENTATION)
    answers = {"reference": (None, True), "boundary": (boundary, True)}
    for bank, must_pass in ((banks.CORRECT_VARIANTS, True), (banks.WRONG_ANSWERS, False)):
        for path in banks.bank(bank, PART):
            flips = "RandomFlip" in path.read_text()  # found by its type, not by this threshold
            if "make_augmentation" in banks.defined_names(path) and not flips and (
                    must_pass or "augmentation_keeps_labels" in banks.declared_losses(path)):
                answers[path.stem] = (path, must_pass)
    worst = {True: 1.0, False: 0.0}
    for name, (path, must_pass) in answers.items():
        module = learner_module(name, path or banks.reference_file(PART), folder)
        shares = []
        for seed in [environment.SEED, *seeds]:
            environment.reset_state(seed)
            shares.append(checks.recognised_share(module.make_augmentation()))
        worst[must_pass] = min(worst[True], min(shares)) if must_pass else max(worst[False], max(shares))
        print(f"{VERDICTS[must_pass]} {name:<38} {summary(shares)}", flush=True)
    threshold = thresholds.AUGMENTATION_RECOGNISED
    print(f"threshold {threshold}: worst correct {worst[True]:.3f} (margin {worst[True] - threshold:+.3f}), "
          f"best wrong {worst[False]:.3f} (margin {threshold - worst[False]:+.3f})")


def loss_ratio(module, seed):
    environment.reset_state(seed)
    _, before, after = checks.run_train_steps(module.make_train_step)
    return after / before


def summary(values, digits=3):
    return (f"min {min(values):.{digits}f} median {statistics.median(values):.{digits}f} "
            f"max {max(values):.{digits}f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--only", default="")
    parser.add_argument("--augmentation", action="store_true", help="measure only the "
                        "augmentation check's threshold")
    args = parser.parse_args()
    seeds = range(args.seeds)
    with tempfile.TemporaryDirectory() as folder:
        if args.augmentation:
            return measure_augmentation(seeds, folder)
        chosen = networks(folder)
        if args.only:
            chosen = {name: chosen[name] for name in args.only.split(",")}
        if "reference" in chosen:
            reference = learner_module("reference", banks.reference_file(PART), folder)
            ratios = [loss_ratio(reference, seed) for seed in seeds]
            print(f"train step: loss after/before {thresholds.TRAIN_STEP_STEPS} steps: "
                  f"{summary(ratios)}; threshold {thresholds.TRAIN_STEP_LOSS_RATIO} (a step that "
                  "never updates gives 1.0)", flush=True)

        print(f"accuracy: {thresholds.CNN_EPOCHS} epochs, batch {thresholds.CNN_BATCH_SIZE}, "
              f"seeds 0-{args.seeds - 1}, grader's seed {environment.SEED} shown apart", flush=True)
        results = {}
        for name, (path, must_pass) in chosen.items():
            module = learner_module(name, path, folder)
            runs = [accuracy_of(module, seed) for seed in seeds]
            grader_seed, _ = accuracy_of(module, environment.SEED)
            results[name] = [accuracy for accuracy, _ in runs] + [grader_seed]
            seconds = [elapsed for _, elapsed in runs]
            print(f"{VERDICTS[must_pass]} {name:<38} {summary(results[name][:-1])}  "
                  f"grader's seed {grader_seed:.3f}  s/run {summary(seconds, 1)}", flush=True)
            print(f"  per seed: {' '.join(f'{a:.3f}' for a in results[name][:-1])}", flush=True)

    threshold = thresholds.CNN_ACCURACY_THRESHOLD
    passing = [min(results[n]) for n in results if chosen[n][1] is True]
    failing = [max(results[n]) for n in results if chosen[n][1] is False]
    if passing:
        print(f"threshold {threshold}: worst correct network {min(passing):.3f}, margin "
              f"{min(passing) - threshold:+.3f}")
    if failing:
        print(f"threshold {threshold}: best wrong answer {max(failing):.3f}, margin "
              f"{threshold - max(failing):+.3f}")


if __name__ == "__main__":
    main()
