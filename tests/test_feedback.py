"""Errors with hints: when a learner's code raises, the message keeps the error's telling line, says
what the check called (function, argument dtypes and shapes) and adds a hint: the catalogue's
sentence for a known TensorFlow error (its cause), then, where shapes and dtypes help, the
exercise's own hint. The wording of the partly-helpful messages of issue 20, each reproduced by a
wrong answer of the bank, is tested here too."""

import numpy as np
import pytest

from autograder.checkkit import registry
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module
from autograder.feedback import hints, known_errors, tracebacks
from conftest import WRONG_ANSWERS, reference_file, with_mistake

BROKEN_NORMS = '''
def make_scaled_row_norms():
    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32),
                                  tf.TensorSpec(shape=[], dtype=tf.float32)])
    def scaled_row_norms(x, scale):
        return scale * {body}
    return scaled_row_norms
'''


def outcome(path, part, check_name):
    """(status, message) of one check on the learner file at `path`."""
    module = learner_module.import_part(path, part)
    graded = next(c for c in checks_for(part) if c.name == check_name)
    return check_runner.run_check(graded, module)


def write_mistake(tmp_path, part, text):
    mistake = tmp_path / "mistake.py"
    mistake.write_text(text)
    return with_mistake(tmp_path, part, mistake)


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def sentence(name):
    """The catalogue's teaching sentence for the known error called `name`."""
    return next(known.sentence for known in known_errors.CATALOGUE if known.name == name)


def bank_outcomes(part, mistake, tmp_path, checks):
    """{check: (status, message)} of `checks` on the bank's wrong answer `mistake` (a file name)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = with_mistake(tmp_path, part, WRONG_ANSWERS / f"part{part}" / mistake)
    return {name: outcome(path, part, name) for name in checks}


def test_keras_error_keeps_the_shapes_line_and_names_the_call(tmp_path):
    """Does a transposed kernel give the MatMul line that Keras wraps, the call with its input's
    dtype and shape, and DenseLayer's hint, without Keras's wrapper or its colour codes?"""
    path = with_mistake(tmp_path, 1, WRONG_ANSWERS / "part1" / "dense_layer_transposed_kernel.py")
    status, message = outcome(path, 1, "dense_layer_weights")
    assert status == "error"
    assert message.startswith("your code raised InvalidArgumentError: Matrix size-incompatible: "
                              "In[0]: [2,4], In[1]: [5,4]"), message
    line = line_of(path, "return self.activation(tf.matmul(inputs, self.kernel) + self.bias)")
    assert f"(line {line} of your file: return self.activation(" in message
    assert "The check called DenseLayer.call(inputs=float32 tensor of shape (2, 4))." in message
    assert message.endswith(f"Hint: {sentence('matrix sizes')} Here: {hints.ERROR_HINTS[1]['DenseLayer']}")
    assert "Exception encountered" not in message and "\x1b" not in message and "\n" not in message


def test_hint_follows_the_function_that_raised(tmp_path):
    """Does the same layer met while grading build_model name the call to build_model, and give
    the hint of DenseLayer, where the error is?"""
    path = with_mistake(tmp_path, 1, WRONG_ANSWERS / "part1" / "dense_layer_transposed_kernel.py")
    status, message = outcome(path, 1, "model_uses_dense_layer")
    assert status == "error"
    assert "with input shapes: [?,2], [8,2]" in message and "{{node" not in message
    assert "The check called build_model(input_dim=2, hidden_units=8)." in message
    assert message.endswith(f"Here: {hints.ERROR_HINTS[1]['DenseLayer']}")


def test_numpy_error_names_the_call_with_shapes(tmp_path):
    """Does argmax over the wrong axis keep NumPy's broadcast line and say what evaluate_accuracy
    was given?"""
    path = with_mistake(tmp_path, 2, WRONG_ANSWERS / "part2" / "evaluate_accuracy_argmax_wrong_axis.py")
    status, message = outcome(path, 2, "evaluate_accuracy_matches_numpy")
    assert status == "error"
    assert "ValueError: operands could not be broadcast together with shapes (10,) (360,)" in message
    assert ("The check called evaluate_accuracy(model=a Sequential, images=float32 array of shape "
            "(360, 8, 8, 1), labels=int64 array of shape (360,)).") in message
    assert message.endswith(f"Hint: {sentence('incompatible shapes')} "
                            f"Here: {hints.ERROR_HINTS[2]['evaluate_accuracy']}")


@pytest.mark.parametrize("body, telling, known", [
    ("tf.matmul(x, tf.ones([4, 1]))", "Dimensions must be equal, but are 3 and 4 in op MatMul with "
     "input shapes: [?,3], [4,1]", "matrix sizes"),  # raised while tracing
    ("tf.gather(x, [7], axis=1)", "indices[0] = 7 is not in [0, 3)", None),  # raised as the graph runs
])
def test_tf_function_error_points_at_the_learners_line(tmp_path, body, telling, known):
    """Does an error inside a tf.function, where no frame is the learner's own, still give the
    learner's line (TensorFlow names it in its message) and the function's traced arguments?"""
    path = write_mistake(tmp_path, 1, BROKEN_NORMS.format(body=body))
    status, message = outcome(path, 1, "scaled_row_norms_matches_numpy")
    assert status == "error" and telling in message, message
    line = line_of(path, f"return scale * {body}")
    assert f"(line {line} of your file: return scale * {body})" in message
    exercise = hints.ERROR_HINTS[1]["make_scaled_row_norms"]
    assert message.endswith(f"Hint: {sentence(known)} Here: {exercise}" if known else f"Hint: {exercise}")


def test_notebook_code_is_recognised_by_its_globals():
    """Does code with no file (a notebook's cells) still get the call and the hint?"""
    namespace = {}
    exec(compile("import tensorflow as tf\n\ndef standardize(x, axis=0):\n"
                 "    return (x - tf.reduce_mean(x, axis)) / tf.math.reduce_std(x, axis)\n", "<cell>", "exec"), namespace)
    learner = type("Notebook", (), {"__file__": "<notebook>", "standardize": namespace["standardize"]})
    graded = next(c for c in checks_for(1) if c.name == "standardize_matches_numpy")
    status, message = check_runner.run_check(graded, learner)
    assert status == "error" and "Incompatible shapes: [6,3] vs. [6]" in message, message
    assert "The check called standardize(x=float32 tensor of shape (6, 3), axis=1)." in message
    assert "of your file" not in message and "Hint: " in message


def test_import_error_has_no_call():
    """Does an error at import time point at the line, with no call (no check ran)?"""
    error = None
    try:
        exec(compile("raise RuntimeError('boom')\n", "learner.py", "exec"), {})
    except RuntimeError as raised:
        error = raised
    learner = tracebacks.LearnerCode("learner.py")
    assert tracebacks.learner_call(error, learner) is None
    assert tracebacks.learner_names(error, learner) == []


@pytest.mark.parametrize("message, telling", [
    ("Exception encountered when calling DenseLayer.call().\n\x1b[1mCould not automatically infer "
     "the output shape / dtype of 'dense_layer' (of type DenseLayer). Error encountered:\n\n"
     "Dimensions must be equal, but are 4 and 5 for '{{node MatMul}} = MatMul[T=DT_FLOAT, "
     "transpose_a=false](Placeholder, ReadVariableOp)' with input shapes: [?,4], [5,4].\x1b[0m\n\n"
     "Arguments received by DenseLayer.call():\n  • args=('<KerasTensor shape=(None, 4), "
     "dtype=float32, sparse=False, ragged=False, name=keras_tensor>',)\n  • kwargs=<class "
     "'inspect._empty'>", "Dimensions must be equal, but are 4 and 5 in op MatMul with input "
     "shapes: [?,4], [5,4]"),
    ("Graph execution error:\n\nDetected at node MatMul defined at (most recent call last):\n"
     '  File "/x/part1.py", line 9, in f\n\nMatrix size-incompatible: In[0]: [2,3], In[1]: [4,1]\n'
     "\t [[{{node MatMul}}]] [Op:__inference_f_9]", "Matrix size-incompatible: In[0]: [2,3], In[1]: [4,1]"),
    ('in user code:\n\n    File "/x/part1.py", line 11, in f  *\n        return tf.matmul(x, y)\n\n'
     "    ValueError: Dimensions must be equal, but are 3 and 4 for '{{node MatMul}} = MatMul[T=DT_FLOAT]"
     "(x, ones)' with input shapes: [?,3], [4,1].\n", "Dimensions must be equal, but are 3 and 4 in op "
     "MatMul with input shapes: [?,3], [4,1]"),
    ('Graph execution error:\nDetected at node G defined at (most recent call last):\n  File "/x/a.py", '
     "line 2, in g\nindices[0] = 7 is not in [0, 3)\n\t [[{{node G}}]]", "indices[0] = 7 is not in [0, 3)"),
    ("no idea", "no idea"),
    ("", ""),
])
def test_telling_line_skips_wrappers_and_stacks(message, telling):
    """Is the telling line the one that names shapes, stripped of op attributes and node names?"""
    assert tracebacks.telling_line(ValueError(message)) == telling


def test_keras_reported_call_is_described_in_the_courses_words():
    """Does a call that only Keras reports read as dtype and shape, without empty arguments?"""
    error = ValueError("Exception encountered when calling Sequential.call().\n\nbad\n\n"
                       "Arguments received by Sequential.call():\n  • inputs=tf.Tensor(shape=(3, 28, "
                       "28, 1), dtype=float32)\n  • training=False\n  • mask=None\n  • kwargs=<class "
                       "'inspect._empty'>")
    assert tracebacks.learner_call(error, tracebacks.LearnerCode()) == (
        "Sequential.call(inputs=float32 tensor of shape (3, 28, 28, 1), training=False)")


def test_every_exercise_has_an_error_hint():
    """Does every graded exercise have a hint for errors its code raises?"""
    for part in registry.PARTS:
        for graded in checks_for(part):
            assert hints.error_hint(part, [graded.exercise]), (part, graded.exercise)


def test_reference_file_still_passes_through_the_new_messages():
    """Is the reference untouched by the error path (a sanity check on the learner-frame test)?"""
    status, message = outcome(reference_file(1), 1, "dense_layer_output")
    assert (status, message) == ("passed", "")


def test_arguments_are_described_without_running_learner_code(tf):
    """Are arrays and tensors described by dtype and shape, and a learner's own object by its
    type alone (its properties, which could hang or raise, never read)?"""
    class Sneaky:
        @property
        def shape(self):
            raise AssertionError("the grader read a learner's property")

    describe = tracebacks.describe_value
    assert describe(np.zeros((2, 3), np.float64)) == "float64 array of shape (2, 3)"
    assert describe(tf.zeros([4], tf.int32)) == "int32 tensor of shape (4,)"
    assert (describe(3), describe("x"), describe(None), describe([1, 2])) == ("3", "'x'", "None", "a list of 2")
    assert describe(Sneaky()) == "a Sneaky"


# ---------------------------------------------------------------- issue 20: messages that name the cause
def test_train_step_with_both_slips_names_both_causes(tmp_path):
    """A fresh Adam and no input_signature give 3 traces: does the message name both causes, so
    that fixing one does not end in a second failure, and does each slip alone name only its own?"""
    checks = ["train_step_traces_once"]
    both = bank_outcomes(2, "train_step_no_signature_optimizer_not_built.py", tmp_path / "both", checks)
    status, message = both["train_step_traces_once"]
    assert status == "failed" and "got 3 (the count after each batch: 2, 2, 3)" in message, message
    assert "two causes, fix both" in message
    assert "optimizer.build(model.trainable_variables)" in message and "input_signature" in message
    unbuilt = bank_outcomes(2, "train_step_optimizer_not_built.py", tmp_path / "unbuilt", checks)
    assert "optimizer.build" in unbuilt["train_step_traces_once"][1]
    assert "input_signature" not in unbuilt["train_step_traces_once"][1]
    unsigned = bank_outcomes(2, "train_step_no_signature.py", tmp_path / "unsigned", checks)
    assert "input_signature" in unsigned["train_step_traces_once"][1]
    assert "optimizer.build" not in unsigned["train_step_traces_once"][1]


def test_loss_after_the_tape_names_the_tape_not_the_formula(tmp_path):
    """The loss computed after the tape's block: does the message keep "No gradients provided" and
    say that the tape records only its block, without restating the loss (which the learner
    already wrote, in the wrong place)?"""
    outcomes = bank_outcomes(1, "fit_linear_loss_outside_tape.py", tmp_path, ["fit_linear_recovers_parameters"])
    status, message = outcomes["fit_linear_recovers_parameters"]
    assert status == "error" and "ValueError: No gradients provided for any variable" in message
    assert message.endswith(f"Hint: {sentence('no gradients')}") and "inside its `with` block" in message
    assert "tf.reduce_mean" not in message


def test_restore_never_called_says_nothing_was_restored(tmp_path):
    """restore_latest that finds the path but never restores: does the message say that nothing
    was restored, not that an older checkpoint was?"""
    outcomes = bank_outcomes(1, "restore_latest_never_restores.py", tmp_path, ["checkpoint_restores_latest"])
    status, message = outcomes["checkpoint_restores_latest"]
    assert status == "failed" and "nothing was restored" in message, message
    assert "older" not in message and "call restore on manager.checkpoint" in message


SYMBOLIC = "a symbolic tensor's value"


@pytest.mark.parametrize("mistake, telling", [
    ("collatz_numpy_in_graph.py", "AttributeError: 'SymbolicTensor' object has no attribute 'numpy'"),
    ("collatz_constant_of_a_tensor.py", "TypeError: Expected int32, but got Tensor("),
])
def test_a_tensors_value_in_a_graph_is_explained(tmp_path, mistake, telling):
    """.numpy() or tf.constant(tensor) inside collatz_steps's tf.function: does the message say that
    tensors are symbolic in a graph, instead of the exercise's hint about dtypes?"""
    outcomes = bank_outcomes(1, mistake, tmp_path, ["collatz_steps_known_values"])
    status, message = outcomes["collatz_steps_known_values"]
    assert status == "error" and telling in message, message
    assert message.endswith(f"Hint: {sentence(SYMBOLIC)}")
    assert "tensors are symbolic" in message and hints.ERROR_HINTS[1]["make_collatz_steps"] not in message


def test_signature_refusing_int64_labels_keeps_its_telling_line(tmp_path):
    """An input_signature of int32 labels called with int64 ones: does the message keep
    TensorFlow's "Can not cast" line (not the tail of the labels' values) and explain signatures?"""
    outcomes = bank_outcomes(2, "train_step_int32_label_signature.py", tmp_path, ["train_step_lowers_loss"])
    status, message = outcomes["train_step_lowers_loss"]
    assert status == "error", message
    assert ("TypeError: Binding inputs to tf.function failed: Can not cast TensorSpec(shape=(64,), "
            "dtype=tf.int64) to TensorSpec(shape=(None,), dtype=tf.int32).") in message
    assert f"Hint: {sentence('an input_signature that refuses its input')} Here: " in message
    assert "kwargs" not in message


def test_a_value_of_the_wrong_type_is_named_with_its_article(tmp_path):
    """extract_features returning the base's tensor: does the message say "an EagerTensor (a
    TensorFlow tensor)", not "a EagerTensor"?"""
    outcomes = bank_outcomes(3, "extract_features_returns_tensor.py", tmp_path,
                             ["extract_features_in_inference_mode"])
    status, message = outcomes["extract_features_in_inference_mode"]
    assert status == "failed" and "got an EagerTensor (a TensorFlow tensor)." in message, message
    assert "a EagerTensor" not in message


def test_types_are_named_with_their_article():
    """Does the wording helper give each type its article, and say what the obscure ones are?"""
    from autograder.checkkit.wording import a_type

    assert a_type([1]) == "a list" and a_type(3) == "an int"
    assert a_type(np.zeros(2)) == "an ndarray (a NumPy array)"
    assert tracebacks.describe_value(object()) == "an object"
