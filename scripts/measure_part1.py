"""Measure the margins behind Part 1's thresholds (autograder/checkkit/thresholds.py) over many seeds.

    PYTHONPATH=. .venv/bin/python scripts/measure_part1.py

Runs the reference solution and the wrong answers the thresholds must reject, with the same data
and budgets as the checks, under seeds 0..19, and prints min/median/max of each figure.
"""

import importlib.util
import pathlib
import sys
import tempfile

import numpy as np

from autograder.checkkit import environment, thresholds

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = range(20)


def load(path, name, mistake=None):
    """Import `path`; with `mistake`, the reference with the mistake's definitions pasted over it."""
    if mistake is not None:
        composed = pathlib.Path(tempfile.mkdtemp()) / path.name
        composed.write_text(path.read_text() + "\n\n" + mistake.read_text())
        path = composed
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def summary(label, values):
    values = np.asarray(values)
    print(f"{label:55s} min {values.min():.4f}  median {np.median(values):.4f}  max {values.max():.4f}")


def main():
    tf = environment.quiet_tensorflow()
    from autograder.checks import part1 as checks

    solution = ROOT / "solutions" / "part1_tf2_basics.py"
    reference = load(solution, "reference")
    wrong = ROOT / "tests" / "wrong_answers" / "part1"

    def fit_error(module):
        errors = []
        for seed in SEEDS:
            environment.reset_state(seed)
            rng = np.random.default_rng(seed)
            for true_w, true_b in thresholds.LINES:
                x = rng.normal(size=200).astype(np.float32)
                y = (true_w * x + true_b + rng.normal(0, 0.1, 200)).astype(np.float32)
                model = module.fit_linear(tf.constant(x), tf.constant(y), epochs=thresholds.LINEAR_FIT_EPOCHS,
                                          learning_rate=0.1)
                errors.append(max(abs(float(model.w) - true_w), abs(float(model.b) - true_b)))
        return errors

    def loss_ratio(module):
        ratios = []
        x, y = checks.regression_data()
        for seed in SEEDS:
            environment.reset_state(seed)
            model = checks.grader_model(16)
            before = checks.mean_squared_error(model, x, y)
            module.train_model(model, x, y, epochs=thresholds.TRAIN_MODEL_EPOCHS)
            ratios.append(checks.mean_squared_error(model, x, y) / before)
        return ratios

    summary("fit_linear |error| reference (tol %.3f)" % thresholds.LINEAR_FIT_TOL, fit_error(reference))
    summary("fit_linear |error| wrong: gradient ascent sign", fit_error(load(solution, "w1", wrong / "fit_linear_adds_gradient.py")))
    summary("train_model loss ratio reference (max %.2f)" % thresholds.TRAIN_LOSS_RATIO, loss_ratio(reference))
    summary("train_model loss ratio wrong: learning rate 1e-4", loss_ratio(load(solution, "w2", wrong / "train_model_tiny_learning_rate.py")))


if __name__ == "__main__":
    main()
