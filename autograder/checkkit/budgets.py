"""How long each check may run: a generous multiple of its time on the reference, with a floor.

    budget = max(FLOOR_SECONDS, FACTOR x measured), rounded up to a whole second, and at most
             the check's own `@check(timeout=...)` where it gives one (an upper bound)

A check past its budget scores zero with the exercise's timeout hint (feedback/hints.py); `make grade`
shows the budget on its live line while the check runs ("... 7 s (stops at 60 s)").

MEASURED is written by scripts/measure_budgets.py: each check graded alone on the reference, in a
process forked for it once TensorFlow and the checks are imported (as the fork server forks
a grading process), so it pays all that a check pays when it runs first in a fresh process:
the data's loading, TensorFlow's first ops, and the training that later checks share (Part 2's
accuracy check trains the network itself when it runs without the History check before it).
The median of the runs, in seconds. A hidden check is listed by a hash of its name: releases
must not name it (handout/nbgrader_course.py's audit).

Why FACTOR 20 and FLOOR_SECONDS 15. These figures were measured on 2 shared cores under load
(MEASURED_ON: `import tensorflow` took 5.4 s, against 2.3-2.6 s on a quiet day of the same kind of
machine). The slowest runs on record are about 2x them: BENCHMARKS.md's full run, on a more loaded
machine (8.2 s for the import) with the parts side by side, took 5.9 s for compile_and_train's
first check (2.9 here), 5.2 s for fine_tune_keeps_accuracy (3.3) and 2.4 s for train_model (1.05).
The same script run again under heavier load (load average 4.3 on the 2 cores) measured 1.3-1.7x
these figures for the training checks (compile_and_train 4.2 s, fine_tune_keeps_accuracy 5.1 s)
and up to 3x for the quick ones, which the floor covers. A machine 3x slower than the slowest
on record (a learner's old laptop, a crowded CI runner) runs the reference at about 6x these
figures: 20x leaves it 3x to spare, and leaves room for a learner's correct code that is slower
than the reference (a larger network within the parameter budget).
The floor is set by TensorFlow: its allocator waits 10 s before it reports that a tensor cannot
fit (measured: 10.0 s for a 4 TB tf.zeros under the grading process's address-space cap), and a
learner's oversized tensor must read as running out of memory, which it is, not as a timeout. At
15 s the quick checks (0.01-0.6 s) have 25x and more, and an endless loop ends in 15 s instead of
a minute. The longest budgets, about 60-75 s, are for training the learner's network, where an
endless dataset (.repeat()) is the usual hang.
"""

import hashlib
import math

FACTOR = 20
FLOOR_SECONDS = 15  # above TensorFlow's 10 s wait before an allocation fails (above)
UNMEASURED_SECONDS = 60  # a check added since the last measurement (tests/test_progress.py
# fails until scripts/measure_budgets.py is run again)


def key(part, name, hidden):
    """MEASURED's key for a check: "part1/standardize_matches_numpy", a hash for a hidden one."""
    if hidden:
        return f"part{part}/hidden-{hashlib.sha256(name.encode()).hexdigest()[:12]}"
    return f"part{part}/{name}"


def budget(part, name, hidden=False, cap=None):
    """The seconds check `name` of `part` may run; `cap`: its own @check(timeout=...), if any."""
    measured = MEASURED.get(key(part, name, hidden))
    seconds = UNMEASURED_SECONDS if measured is None else max(FLOOR_SECONDS, math.ceil(FACTOR * measured))
    return seconds if cap is None else min(cap, seconds)


# ---- written by scripts/measure_budgets.py: do not edit by hand ----
MEASURED_ON = (
    '2026-11-29, commit 0251884, median of 3 runs, 135 s in all: AMD EPYC, 2 cores, load average '
    '2.7 before and 3.5 after; Python 3.11.7, TensorFlow 2.21.0; `import tensorflow` took 7.0 s '
    "(BENCHMARKS.md's machine: 8.2 s)"
)
MEASURED = {  # seconds
    'part1/standardize_matches_numpy': 0.02,
    'part1/cubic_gradients_known_values': 0.02,
    'part1/second_derivative_known_functions': 0.04,
    'part1/linear_model_has_two_variables': 0.02,
    'part1/fit_linear_recovers_parameters': 0.42,
    'part1/scaled_row_norms_matches_numpy': 0.04,
    'part1/scaled_row_norms_traces_once': 0.08,
    'part1/collatz_steps_known_values': 0.13,
    'part1/collatz_graph_has_loop_and_branch': 0.12,
    'part1/hidden-09fea6ca9b1c': 0.14,
    'part1/dense_layer_weights': 0.06,
    'part1/dense_layer_output': 0.07,
    'part1/model_uses_dense_layer': 0.08,
    'part1/train_model_lowers_loss': 1.12,
    'part1/checkpoint_restores_latest': 0.22,
    'part1/checkpoint_keeps_max_to_keep': 0.19,
    'part2/preprocess_scales_and_adds_channel': 0.19,
    'part2/dataset_batches_and_prefetches': 0.29,
    'part2/dataset_evaluation_keeps_order': 0.27,
    'part2/dataset_training_shuffles_every_epoch': 0.36,
    'part2/augmentation_random_only_when_training': 0.26,
    'part2/augmentation_keeps_labels': 0.29,
    'part2/cnn_outputs_logits': 0.35,
    'part2/cnn_has_convolution_within_budget': 0.2,
    'part2/compile_and_train_history': 3.58,
    'part2/cnn_test_accuracy': 7.32,
    'part2/train_step_lowers_loss': 0.75,
    'part2/train_step_traces_once': 0.65,
    'part2/train_step_uses_training_mode': 0.88,
    'part2/evaluate_accuracy_matches_numpy': 0.56,
    'part2/confusion_matrix_matches_numpy': 0.61,
    'part3/base_is_frozen_pretrained_features': 0.2,
    'part3/transfer_model_trains_only_a_new_head': 0.19,
    'part3/transfer_model_calls_base_in_inference_mode': 0.08,
    'part3/head_reaches_accuracy_on_new_digits': 2.02,
    'part3/head_training_keeps_base_weights': 2.05,
    'part3/train_head_uses_its_arguments': 1.17,
    'part3/fine_tune_unfreezes_top_layers_but_not_batch_norm': 2.0,
    'part3/fine_tune_lowers_learning_rate': 0.23,
    'part3/fine_tune_keeps_accuracy': 3.17,
    'part3/extract_features_in_inference_mode': 0.08,
    'part3/linear_classifier_accuracy': 0.26,
    'part3/mobilenet_frozen_with_pooled_head': 1.64,
    'part3/mobilenet_preprocessing_maps_to_unit_range': 1.04,
}
# ---- end of what scripts/measure_budgets.py writes ----
