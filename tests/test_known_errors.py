"""The catalogue of TensorFlow errors (autograder/feedback/known_errors.py): each entry recognises
the real error, raised here by real TensorFlow and Keras code as a learner writes it, and teaches
its sentence; nothing else is mistaken for it."""

import io
import logging

import pytest

from autograder.feedback import known_errors, learner_errors, tracebacks


def raised(code, tf):
    """The exception that `code` (a function of tf) raises."""
    with pytest.raises(Exception) as caught:
        code(tf)
    return caught.value


def loss_after_the_tape(tf):
    weight = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        prediction = weight * 2.0
    loss = tf.square(prediction - 1.0)  # the learner's slip: after the block
    tf.keras.optimizers.SGD(0.1).apply_gradients(zip(tape.gradient(loss, [weight]), [weight]))


def numpy_in_a_graph(tf):
    tf.function(lambda n: n.numpy())(tf.constant(3))


def constant_of_a_tensor(tf):
    tf.function(lambda n: tf.constant(n))(tf.constant(3))


def python_if_without_autograph(tf):
    @tf.function(autograph=False)
    def halve_if_even(n):
        if n % 2 == 0:
            return n // 2
        return n

    halve_if_even(tf.constant(6))


def variable_in_a_tf_function(tf):
    @tf.function
    def scaled(x):
        weight = tf.Variable(2.0)
        return weight * x

    scaled(tf.constant(1.0))


def int32_signature_for_int64_labels(tf):
    step = tf.function(lambda labels: labels, input_signature=[tf.TensorSpec([None], tf.int32)])
    step(tf.constant([1, 2], tf.int64))


def float_added_to_an_int(tf):
    tf.constant(3) + tf.constant(0.5)


def transposed_kernel(tf):
    tf.matmul(tf.ones([2, 4]), tf.ones([5, 4]))


def mean_without_keepdims(tf):
    x = tf.ones([6, 3])
    x - tf.reduce_mean(x, axis=1)


def conv_on_images_without_channels(tf):
    tf.keras.layers.Conv2D(4, 3)(tf.ones([2, 8, 8]))


def count_params_of_a_sequential_without_input(tf):
    tf.keras.Sequential([tf.keras.layers.Dense(3)]).count_params()


def keras_2_add_weight(tf):
    class Dense(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))

        def call(self, inputs):
            return tf.matmul(inputs, self.kernel)

    Dense()(tf.ones([2, 3]))


def tf_op_on_a_functional_input(tf):
    tf.nn.relu(tf.keras.Input(shape=(4,)))


def categorical_loss_on_integer_labels(tf):
    loss = tf.keras.losses.CategoricalCrossentropy(from_logits=True)
    loss(tf.constant([1, 2]), tf.ones([2, 10]))


def tape_asked_twice(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    tape.gradient(y, x)


def read_outside_the_sandbox(tf):
    """A learner's read of a file beside the grader, refused by the real sandbox: in a forked
    child confined as a grading process is (this test process must stay unconfined)."""
    import os

    from autograder.execute import sandbox

    reader, writer = os.pipe()
    if os.fork() == 0:
        try:
            sandbox.confine(read=[sandbox.__file__], read_write=[os.devnull])
            open(os.path.abspath(__file__)).read()  # this test file: not readable there
            os.write(writer, b"0 read")
        except OSError as error:
            os.write(writer, f"{error.errno} {error.strerror}".encode())
        os._exit(0)
    os.close(writer)
    code, strerror = os.read(reader, 200).decode().split(" ", 1)
    os.close(reader)
    os.wait()
    raise PermissionError(int(code), strerror, __file__)


RAISING = {  # the catalogue's entry: the code a learner writes that meets it
    "no gradients": loss_after_the_tape,
    "a symbolic tensor's value": numpy_in_a_graph,
    "a Python condition on a symbolic tensor": python_if_without_autograph,
    "variables created in a tf.function": variable_in_a_tf_function,
    "an input_signature that refuses its input": int32_signature_for_int64_labels,
    "mixed dtypes": float_added_to_an_int,
    "matrix sizes": transposed_kernel,
    "incompatible shapes": mean_without_keepdims,
    "an input the layer was not built for": conv_on_images_without_channels,
    "a layer that is not built": count_params_of_a_sequential_without_input,
    "Keras 2's add_weight": keras_2_add_weight,
    "a Keras tensor in a TensorFlow function": tf_op_on_a_functional_input,
    "labels that do not fit the loss": categorical_loss_on_integer_labels,
    "a tape used twice": tape_asked_twice,
    "the sandbox": read_outside_the_sandbox,
}


def entry(name):
    return next(known for known in known_errors.CATALOGUE if known.name == name)


@pytest.mark.parametrize("name", sorted(RAISING))
def test_real_error_is_recognised_and_taught(tf, name):
    """Does the real error, raised by a learner's kind of code, find its entry, and does the hint
    of describe_learner_error open with the entry's sentence?"""
    error = raised(RAISING[name], tf)
    known = known_errors.for_error(error, tracebacks.message_text(error))
    assert known is not None and known.name == name, (type(error).__name__, str(error)[:300])
    message = learner_errors.describe_learner_error(error, hint_for=lambda names: "the exercise's hint.")
    expected = known.sentence + (" Here: the exercise's hint." if known.with_contract else "")
    assert message.endswith(f"Hint: {expected}"), message


def test_constant_of_a_tensor_is_a_symbolic_value_too(tf):
    """Does tf.constant(tensor) in a graph, a TypeError in other words than .numpy()'s, get the
    same sentence: tensors are symbolic there?"""
    error = raised(constant_of_a_tensor, tf)
    assert known_errors.for_error(error, tracebacks.message_text(error)) == entry("a symbolic tensor's value")


def test_retracing_warning_is_recognised(tf):
    """TensorFlow only warns about retracing (on its logger): is that warning, caught from a real
    tf.function called on seven shapes, recognised, and so is the grader's count of traces?"""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = tf.get_logger()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel("WARNING")
    try:
        doubled = tf.function(lambda x: x * 2)
        for size in range(1, 8):
            doubled(tf.ones([size]))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert "retracing" in stream.getvalue()
    assert known_errors.find(["*"], stream.getvalue()) == entry("retracing")
    assert known_errors.for_message("the number of traces over batches of 32, 32 and 29 should be "
                                    "1, got 2.") == entry("retracing")


def test_every_entry_is_raised_by_real_code():
    """Does every entry of the catalogue have real code here that meets it?"""
    assert set(RAISING) | {"retracing"} == {known.name for known in known_errors.CATALOGUE}


def test_unknown_errors_keep_the_exercises_hint(tf):
    """Is an error the catalogue does not know (an index out of range) left to the exercise's hint,
    and a plain ValueError with another message not taken for a known one?"""
    error = raised(lambda tf: tf.gather(tf.ones([3]), [7]), tf)
    assert known_errors.for_error(error, tracebacks.message_text(error)) is None
    message = learner_errors.describe_learner_error(error, hint_for=lambda names: "the exercise's hint.")
    assert message.endswith("Hint: the exercise's hint.")
    assert known_errors.find(["ValueError"], "Dimensions of the moon") is None
    assert known_errors.find(["KeyError"], "No gradients provided for any variable") is None


def test_a_graders_message_finds_its_entry():
    """Does a message read back from results.json find the entry of the error it names, by the
    type after "raised" and the error's text?"""
    message = ("your code raised ValueError: No gradients provided for any variable (line 12 of "
               "your file: optimizer.apply_gradients(pairs)). Hint: ...")
    assert known_errors.for_message(message) == entry("no gradients")
    assert known_errors.for_message("the fitted (w, b) should be about (3.0, -2.0), got [0. 0.].") is None
