"""Measure Part 3's grader thresholds through the grader's own code, over seeds.

Run from the repository root:  PYTHONPATH=. python scripts/measure_part3_grader.py [--seeds 20]

For each grader seed (the grader's own, 1234, and 0..seeds-1), as autograder/checks/part3.py runs:
- head: the reference's head (load_frozen_base, build_transfer_model, train_head) -> held-out
  accuracy; the same on a frozen base of random weights (the base's layers, never trained);
- fine_tune: fine-tuned minus head-only accuracy on the grader's transfer model
  (autograder/data/part3_transfer.keras), for the reference and for every fine_tune in the banks:
  correct variants and wrong answers that must keep the accuracy, and wrong answers that
  declare they lose fine_tune_keeps_accuracy;
- linear: the reference's logistic regression on the stored features.
Prints min / median / max per case and the tolerances' margins; thresholds.py quotes them.
"""

import argparse
import statistics
import tempfile
import time

from autograder.checkkit import environment

tf = environment.quiet_tensorflow()


from autograder.checkkit import thresholds  # noqa: E402
from autograder.checkkit.verdict import CheckFailed  # noqa: E402
from autograder.checks import part3 as checks  # noqa: E402
from autograder.execute import learner_module  # noqa: E402
from materials import banks  # noqa: E402
from solutions import part3_transfer as reference  # noqa: E402

PART = 3


def random_frozen_base():
    """The base's layers with fresh random weights (never trained), cut and frozen as the real one."""
    from coursekit import pretrained

    full = tf.keras.models.clone_model(pretrained.load_base())
    base = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output)
    base.trainable = False
    return base


def fine_tunes(folder):
    """{name: (fine_tune, must keep the accuracy)} for the reference and every bank file."""
    found = {"reference": (reference.fine_tune, True)}
    for bank, keeps in ((banks.CORRECT_VARIANTS, lambda path: True),
                        (banks.WRONG_ANSWERS,
                         lambda path: "fine_tune_keeps_accuracy" not in banks.declared_losses(path))):
        for path in banks.bank(bank, PART):
            if "fine_tune" in banks.defined_names(path):
                module = learner_module.import_part(banks.compose(PART, path, folder), PART)
                found[path.stem] = (module.fine_tune, keeps(path))
    return found


def linear_accuracy(seed):
    features = checks.base_features()
    train, labels = checks.few_examples(seed, pool=features["train"])
    classifier = reference.fit_linear_classifier(train, labels)
    return float((classifier.predict(features["test"]) == checks.target_data()[1][1]).mean())


def summary(values):
    return (f"min {min(values):+.3f} median {statistics.median(values):+.3f} "
            f"max {max(values):+.3f} over {len(values)} seeds")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    cases = {}
    with tempfile.TemporaryDirectory() as folder:
        tunes = fine_tunes(folder)
        for seed in [environment.SEED, *range(args.seeds)]:
            start = time.perf_counter()
            runs = {}
            for case, load in (("head pretrained", reference.load_frozen_base),
                               ("head random base", random_frozen_base)):
                run = checks.train_learner_head(load, reference.build_transfer_model,
                                                reference.train_head, seed)
                runs[case] = checks.accuracy_of(run["model"], case)
            checks.head_only_accuracy.cache_clear()
            for name, (fine_tune, _) in tunes.items():
                try:
                    tuned, head_only = checks.fine_tune_accuracies(fine_tune, seed)
                    runs[f"fine_tune {name}"] = tuned - head_only
                except CheckFailed:  # its fit fails (not recompiled): as bad as it gets
                    runs[f"fine_tune {name}"] = -1.0
            runs["linear"] = linear_accuracy(seed)
            for case, value in runs.items():
                cases.setdefault(case, []).append(value)
            print(seed, " ".join(f"{c.split()[-1]}={v:+.3f}" for c, v in runs.items()),
                  f"({time.perf_counter() - start:.1f} s)", flush=True)
    for case, values in cases.items():
        print(f"{case:48s} {summary(values)}")
    tolerance = thresholds.FINE_TUNE_ACCURACY_TOLERANCE
    keep = [min(cases[f"fine_tune {n}"]) for n, (_, keeps) in tunes.items() if keeps]
    lose = [max(cases[f"fine_tune {n}"]) for n, (_, keeps) in tunes.items() if not keeps]
    print(f"fine-tune tolerance {tolerance}: worst kept {min(keep):+.3f} (margin "
          f"{min(keep) + tolerance:+.3f})" + (f", best lost {max(lose):+.3f} (margin "
                                             f"{-tolerance - max(lose):+.3f})" if lose else ""))
    for case, threshold in (("head pretrained", thresholds.HEAD_ACCURACY_THRESHOLD),
                            ("linear", thresholds.LINEAR_ACCURACY_THRESHOLD)):
        print(f"{case} threshold {threshold}: margin {min(cases[case]) - threshold:+.3f}")
    print(f"head random base: margin {thresholds.HEAD_ACCURACY_THRESHOLD - max(cases['head random base']):+.3f}")


if __name__ == "__main__":
    main()
