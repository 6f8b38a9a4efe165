"""Measure Part 3's grader thresholds through the grader's own code, over seeds.

Run from the repository root:  PYTHONPATH=. python scripts/measure_part3_grader.py [--seeds 10]

For each grader seed (the grader's own, 1234, and 0..seeds-1), as autograder/checks/part3.py runs:
- the reference's head (load_frozen_base, build_transfer_model, train_head) -> held-out accuracy;
- the same with a frozen base of random weights (the recipe, never loaded);
- the reference's fine_tune continued FINE_TUNE_EPOCHS epochs minus the head alone as long;
- the reference's logistic regression on the grader's features.
Prints min / median / max per case; thresholds.py quotes them.
"""

import argparse
import statistics
import time

from autograder import environment

tf = environment.quiet_tensorflow()

from autograder.checks import part3 as checks  # noqa: E402
from solutions import part3_transfer as reference  # noqa: E402


def random_frozen_base():
    return checks.grader_base(frozen=True, random=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    cases = {"pretrained": [], "random": [], "fine_tune_minus_head": [], "linear": []}
    for seed in [environment.SEED, *range(args.seeds)]:
        start = time.perf_counter()
        runs = {}
        for case, load in (("pretrained", reference.load_frozen_base), ("random", random_frozen_base)):
            run = checks.train_learner_head(load, reference.build_transfer_model,
                                            reference.train_head, seed)
            runs[case] = checks.accuracy_of(run["model"], case)
        checks.grader_head.cache_clear()
        tuned, head_only = checks.fine_tune_accuracies(reference.fine_tune, seed)
        runs["fine_tune_minus_head"] = tuned - head_only
        checks.grader_features.cache_clear()
        train, labels, test, test_labels = checks.grader_features(seed)
        classifier = reference.fit_linear_classifier(train, labels)
        runs["linear"] = float((classifier.predict(test) == test_labels).mean())
        for case, value in runs.items():
            cases[case].append(value)
        print(seed, " ".join(f"{c}={v:+.3f}" for c, v in runs.items()),
              f"({time.perf_counter() - start:.1f} s)", flush=True)
    for case, values in cases.items():
        print(f"{case:22s} min {min(values):+.3f} median {statistics.median(values):+.3f} "
              f"max {max(values):+.3f} over {len(values)} seeds")


if __name__ == "__main__":
    main()
