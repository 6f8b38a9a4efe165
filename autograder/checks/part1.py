"""Graded checks of Part 1 (TF 2 basics).

Each check receives the learner's objects by name and computes what they should give from NumPy,
calculus or a known answer, never from the reference solution (which a learner's copy lacks).
"""

import tempfile

import numpy as np
import tensorflow as tf

from autograder.checkkit import thresholds
from autograder.checkkit.progress import phase
from autograder.checkkit.registry import check
from autograder.checkkit.tf_inspect import (
    graph_op_types,
    is_tf_function,
    nested_layers,
    require_silent_fit,
    tracing_count,
)
from autograder.checkkit.verdict import fail, measured, short
from autograder.checkkit.wording import a_type


def as_array(value, what, dtype=np.float32):
    """The learner's value as a NumPy array of real numbers, or a failure that says what came back."""
    __tracebackhide__ = True
    if value is None:
        fail(what, should="a tensor", got="None")
    if not isinstance(value, (tf.Tensor, tf.Variable, np.ndarray, float, int, np.generic)):
        if not hasattr(value, "numpy"):  # keras.Variable has numpy()
            fail(what, should="a tensor", got=a_type(value))
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value).astype(dtype)


def expect_close(got, expected, what, hint, atol=thresholds.FLOAT_ATOL):
    __tracebackhide__ = True
    got = np.asarray(got)
    if got.shape != np.shape(expected):
        fail(f"{what} shape", should=np.shape(expected), got=got.shape, hint=hint)
    if not np.allclose(got, expected, atol=atol, rtol=thresholds.FLOAT_RTOL):
        fail(what, should=short(np.asarray(expected)), got=short(got), hint=hint)


# ---------------------------------------------------------------- 1. tensors and broadcasting
@check(points=2, exercise="standardize")
def check_standardize_matches_numpy(standardize):
    """Check that standardize(x, axis) equals NumPy's (x - mean) / std along axis 0, 1 and -1."""
    rng = np.random.default_rng(0)
    for shape, axis in [((6, 3), 0), ((6, 3), 1), ((2, 5, 4), -1)]:
        x = rng.normal(2.0, 3.0, size=shape).astype(np.float32)
        expected = (x - x.mean(axis=axis, keepdims=True)) / x.std(axis=axis, keepdims=True)
        got = as_array(standardize(tf.constant(x), axis=axis), f"standardize(x, axis={axis})")
        expect_close(got, expected, f"standardize(x of shape {shape}, axis={axis})",
                     hint="reduce along `axis` with keepdims=True so the mean broadcasts back.")


# ---------------------------------------------------------------- 2. gradients
@check(points=2, exercise="cubic_gradients")
def check_cubic_gradients_known_values(cubic_gradients):
    """Check that the gradients of c * x**3 are 3 c x**2 (w.r.t. x) and x**3 (w.r.t. constant c)."""
    for x0, c0 in [(2.0, 3.0), (-1.5, 0.5)]:
        result = cubic_gradients(tf.Variable(x0), tf.constant(c0))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail("cubic_gradients(x, c)", should="a pair (dy_dx, dy_dc)", got=short(result))
        dy_dx, dy_dc = result
        if dy_dc is None:
            fail(f"dy/dc at x={x0}, c={c0}", should=x0**3, got="None",
                 hint="c is a constant: call tape.watch(c) inside the tape's block.")
        expect_close(as_array(dy_dx, "dy/dx"), np.float32(3 * c0 * x0**2),
                     f"dy/dx at x={x0}, c={c0}", hint="record y = c * x**3 inside the tape's block.")
        expect_close(as_array(dy_dc, "dy/dc"), np.float32(x0**3),
                     f"dy/dc at x={x0}, c={c0}", hint="ask the tape once for both, with the list [x, c] as its sources.")


@check(points=2, exercise="second_derivative")
def check_second_derivative_known_functions(second_derivative):
    """Check that second_derivative gives -sin(x) for sin, 6x for x**3 and 0 for a line."""
    x = np.array([-1.0, 0.3, 2.0], dtype=np.float32)
    cases = [("sin", tf.sin, -np.sin(x)), ("x**3", lambda t: t**3, 6 * x),
             ("3x + 1", lambda t: 3 * t + 1, np.zeros_like(x))]
    for name, f, expected in cases:
        value = second_derivative(f, tf.constant(x))
        if value is None and name != "3x + 1":
            fail(f"second_derivative({name})", should=short(expected), got="None",
                 hint="compute the inner gradient inside the outer tape, and watch x in both.")
        got = np.zeros_like(x) if value is None else as_array(value, f"second_derivative({name})")
        expect_close(got, expected, f"d²/dx² of {name} at x={x.tolist()}",
                     hint="the outer tape must record the inner tape.gradient call.")


# ---------------------------------------------------------------- 3. variables and a training loop
@check(points=1, exercise="LinearModel")
def check_linear_model_has_two_variables(LinearModel):
    """Check that a LinearModel owns exactly two trainable scalar tf.Variables, w and b, both 0."""
    model = LinearModel()
    variables = model.trainable_variables
    if len(variables) != 2:
        fail("LinearModel().trainable_variables", should="2 variables (w and b)",
             got=f"{len(variables)}", hint="store tf.Variable objects as attributes self.w, self.b.")
    for name in ("w", "b"):
        value = getattr(model, name, None)
        if not isinstance(value, tf.Variable):
            fail(f"LinearModel().{name}", should="a tf.Variable", got=a_type(value))
        if value.shape != () or value.dtype != tf.float32 or float(value.numpy()) != 0.0:
            fail(f"LinearModel().{name}", should="a float32 scalar equal to 0.0",
                 got=f"shape {tuple(value.shape)}, {value.dtype.name}, {float(np.ravel(value.numpy())[0])}")


@check(points=2, exercise="fit_linear")
def check_fit_linear_recovers_parameters(fit_linear):
    """Check that fit_linear recovers w and b of two noisy lines within the tolerance."""
    rng = np.random.default_rng(1)
    for line, (true_w, true_b) in enumerate(thresholds.LINES, 1):  # two: no hard-coded answer passes
        phase("fitting a line with your fit_linear", line, len(thresholds.LINES))
        x = rng.normal(size=200).astype(np.float32)
        y = (true_w * x + true_b + rng.normal(0, 0.1, size=200)).astype(np.float32)
        model = fit_linear(tf.constant(x), tf.constant(y), epochs=thresholds.LINEAR_FIT_EPOCHS,
                           learning_rate=0.1)
        for name in ("w", "b"):
            if not isinstance(getattr(model, name, None), tf.Variable):
                fail(f"fit_linear(...).{name}", should="a tf.Variable of the returned LinearModel",
                     got=short(getattr(model, name, None)), hint="return the LinearModel you trained.")
        got = np.array([as_array(model.w, "w"), as_array(model.b, "b")], dtype=np.float32)
        measured("fit_linear: largest |error| in (w, b)", np.max(np.abs(got - (true_w, true_b))),
                 thresholds.LINEAR_FIT_TOL, at_most=True)
        if not np.all(np.abs(got - (true_w, true_b)) <= thresholds.LINEAR_FIT_TOL):
            fail(f"the fitted (w, b) for y = {true_w}x + {true_b} + noise after "
                 f"{thresholds.LINEAR_FIT_EPOCHS} epochs "
                 f"(within ±{thresholds.LINEAR_FIT_TOL})", should=f"about {(true_w, true_b)}",
                 got=short(got),
                 hint="apply the gradients of the loss to model.trainable_variables each epoch "
                      "(gradient descent subtracts: let the optimizer do it).")


# ---------------------------------------------------------------- 4. tf.function and tracing
BATCH_SIZES_AND_SCALES = [(1, 0.5), (7, 1.0), (32, 2.0)]


@check(points=1, exercise="make_scaled_row_norms")
def check_scaled_row_norms_matches_numpy(make_scaled_row_norms):
    """Check that the traced scaled_row_norms equals scale * the Euclidean norm of each row."""
    function = make_scaled_row_norms()
    rng = np.random.default_rng(2)
    for batch, scale in BATCH_SIZES_AND_SCALES:
        x = rng.normal(size=(batch, 3)).astype(np.float32)
        expected = scale * np.linalg.norm(x, axis=1)
        expect_close(as_array(function(tf.constant(x), scale), "scaled_row_norms"), expected,
                     f"scaled_row_norms(x of shape {x.shape}, {scale})",
                     hint="tf.norm(x, axis=1) gives one norm per row.")


@check(points=2, exercise="make_scaled_row_norms")
def check_scaled_row_norms_traces_once(make_scaled_row_norms):
    """Check that scaled_row_norms is a tf.function that traces once for batch sizes 1, 7 and 32."""
    function = make_scaled_row_norms()
    if not is_tf_function(function):
        fail("make_scaled_row_norms()", should="a tf.function", got=a_type(function),
             hint="decorate the inner function with @tf.function(input_signature=[...]).")
    for batch, scale in BATCH_SIZES_AND_SCALES:
        function(tf.ones([batch, 3]), scale)
    count = tracing_count(function)
    if count != 1:
        fail(f"the number of traces over batch sizes {[b for b, _ in BATCH_SIZES_AND_SCALES]} "
             f"with Python float scales", should=1, got=count,
             hint="each new shape and each new Python number retraces; an input_signature "
                  "with shape [None, 3] and a float32 scalar makes one graph serve all calls."
             if count > 1 else "the function never ran as a graph: do not switch tf.function off.")


# ---------------------------------------------------------------- 5. AutoGraph
COLLATZ = {1: 0, 2: 1, 6: 8, 7: 16, 27: 111}


@check(points=1, exercise="make_collatz_steps")
def check_collatz_steps_known_values(make_collatz_steps):
    """Check that collatz_steps gives the known step counts for n = 1, 2, 6, 7 and 27."""
    function = make_collatz_steps()
    for n, steps in COLLATZ.items():
        got = as_array(function(tf.constant(n, dtype=tf.int32)), f"collatz_steps({n})", np.int64)
        if got.shape != () or int(got) != steps:
            fail(f"collatz_steps({n})", should=steps, got=short(got),
                 hint="count one step per loop iteration; stop when n reaches 1.")


@check(points=2, exercise="make_collatz_steps")
def check_collatz_graph_has_loop_and_branch(make_collatz_steps):
    """Check that collatz_steps's graph holds a While loop and an If branch made by AutoGraph."""
    function = make_collatz_steps()
    if not is_tf_function(function):
        fail("make_collatz_steps()", should="a tf.function", got=a_type(function),
             hint="decorate collatz_steps with @tf.function.")
    ops = graph_op_types(function, tf.TensorSpec([], tf.int32))
    has_loop = bool(ops & {"While", "StatelessWhile"})
    has_branch = bool(ops & {"If", "StatelessIf"})
    if not (has_loop and has_branch):
        fail("the graph's control flow", should="a While loop containing an If",
             got=f"loop: {'yes' if has_loop else 'no'}, branch: {'yes' if has_branch else 'no'}",
             hint="write `while n > 1:` and `if n % 2 == 0:` on tensors; a Python range loop is "
                  "unrolled and tf.cond/where are not what this exercise asks.")


@check(points=1, exercise="make_collatz_steps", hidden=True)
def check_collatz_steps_beyond_the_examples(make_collatz_steps):
    """Check that collatz_steps also counts right for n that the exercise never mentions."""
    # Hidden: left out of every release (handout/helpers.py), so a hidden check keeps what it
    # needs inside its own body. Known step counts (OEIS A006577).
    known = {3: 7, 97: 118, 871: 178}
    function = make_collatz_steps()
    for n, steps in known.items():
        got = as_array(function(tf.constant(n, dtype=tf.int32)), f"collatz_steps({n})", np.int64)
        if got.shape != () or int(got) != steps:
            fail(f"collatz_steps({n})", should=steps, got=short(got),
                 hint="count one step per loop iteration, starting from 0; stop when n reaches 1.")


# ---------------------------------------------------------------- 6. a Keras layer
@check(points=2, exercise="DenseLayer")
def check_dense_layer_weights(DenseLayer):
    """Check that DenseLayer(5) on 4 features builds a (4, 5) kernel and a (5,) bias, both trainable."""
    layer = DenseLayer(5)
    layer(tf.zeros([2, 4]))
    shapes = sorted(tuple(w.shape) for w in layer.trainable_weights)
    if shapes != [(4, 5), (5,)]:
        fail("the trainable weight shapes of DenseLayer(5) on 4 features",
             should="[(4, 5), (5,)]", got=str(shapes),
             hint="add_weight a kernel of shape (input_shape[-1], units) and a bias of (units,).")
    bias = getattr(layer, "bias", None)
    if bias is None or not np.all(np.asarray(bias.numpy()) == 0):
        fail("the initial bias", should="zeros", got=short(None if bias is None else bias.numpy()))


@check(points=2, exercise="DenseLayer")
def check_dense_layer_output(DenseLayer):
    """Check that DenseLayer computes activation(x @ kernel + bias), as NumPy does."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    for activation, numpy_activation in [(None, lambda z: z), ("relu", lambda z: np.maximum(z, 0))]:
        layer = DenseLayer(3, activation=activation)
        layer(tf.constant(x))
        weights = {tuple(w.shape): w for w in layer.trainable_weights}
        if set(weights) != {(4, 3), (3,)}:
            fail(f"DenseLayer(3, activation={activation!r}) weights", should="a kernel and a bias",
                 got=str(sorted(weights)))
        weights[(3,)].assign(rng.normal(size=3).astype(np.float32))  # a non-zero bias shows
        kernel, bias = (np.asarray(weights[k].numpy()) for k in [(4, 3), (3,)])
        expected = numpy_activation(x @ kernel + bias)
        expect_close(as_array(layer(tf.constant(x)), "the layer's output"), expected,
                     f"DenseLayer(3, activation={activation!r})(x)",
                     hint="outputs = activation(tf.matmul(inputs, kernel) + bias).")


# ---------------------------------------------------------------- 7. a model that trains
def regression_data():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(256, 2)).astype(np.float32)
    y = (x[:, :1] - 2 * x[:, 1:] + 0.5).astype(np.float32)
    return x, y


@check(points=1, exercise="build_model")
def check_model_uses_dense_layer(build_model, DenseLayer):
    """Check that build_model gives a (None, 1) Keras model: your DenseLayer(hidden_units) with relu,
    then your DenseLayer(1) without activation."""
    model = build_model(2, hidden_units=8)
    if not isinstance(model, tf.keras.Model):
        fail("build_model(2)", should="a tf.keras.Model", got=a_type(model))
    output_shape = tuple(model(tf.zeros([3, 2])).shape)
    if output_shape != (3, 1):
        fail("the output shape on a batch of 3", should=(3, 1), got=output_shape)
    ours = [layer for layer in nested_layers(model) if isinstance(layer, DenseLayer)]
    units = sorted(getattr(layer, "units", None) or 0 for layer in ours)
    if units != [1, 8]:
        fail("the DenseLayer layers of build_model(2, hidden_units=8)",
             should="two: DenseLayer(8) and DenseLayer(1)", got=f"{len(ours)}, units {units}",
             hint="use your DenseLayer class for both layers, not tf.keras.layers.Dense.")
    output, hidden = sorted(ours, key=lambda layer: layer.units)
    rng = np.random.default_rng(5)
    x = tf.constant(rng.normal(size=(16, 2)).astype(np.float32))
    features = as_array(hidden(x), "the hidden DenseLayer's output")
    if features.min() >= 0 and not np.any(features == 0):
        fail("the hidden DenseLayer's outputs", should="relu's, max(0, x @ kernel + bias)",
             got=f"all above 0 (min {features.min():.3g}): another activation",
             hint="give the hidden DenseLayer activation=\"relu\".")
    values = as_array(output(tf.constant(rng.normal(size=(64, 8)).astype(np.float32))),
                      "the output DenseLayer's output")
    if values.min() >= 0:
        fail("the output DenseLayer's values", should="any real number (no activation)",
             got=f"only values >= 0 (min {values.min():.3g})",
             hint="the last layer gives the regression's value: DenseLayer(1), no activation.")
    expected = as_array(output(tf.nn.relu(hidden(x))), "the DenseLayers' outputs")
    if not np.allclose(as_array(model(x), "the model's output"), expected,
                       atol=thresholds.FLOAT_ATOL, rtol=thresholds.FLOAT_RTOL):
        fail("the model's output", should="DenseLayer(1)(relu(DenseLayer(8)(x)))",
             got="other values", hint="give the hidden DenseLayer activation=\"relu\": "
             "without it, two linear layers are one linear map.")


def grader_model(hidden_units):
    """The grader's own small regression model, so that checks of training and checkpoints do not
    depend on the learner's build_model."""
    return tf.keras.Sequential([tf.keras.Input(shape=(2,)),
                                tf.keras.layers.Dense(hidden_units, activation="relu"),
                                tf.keras.layers.Dense(1)])


@check(points=2, exercise="train_model")
def check_train_model_lowers_loss(train_model):
    """Check that train_model returns fit's History and cuts the training MSE by the stated factor."""
    x, y = regression_data()
    model = grader_model(hidden_units=16)
    before = mean_squared_error(model, x, y)
    phase(f"training a model with your train_model ({thresholds.TRAIN_MODEL_EPOCHS} epochs)")
    history = train_model(model, x, y, epochs=thresholds.TRAIN_MODEL_EPOCHS)
    if not isinstance(history, tf.keras.callbacks.History):
        fail("train_model(...)", should="the History returned by model.fit", got=short(history))
    epochs = len(history.history.get("loss", [])) if isinstance(history.history, dict) else 0
    if epochs != thresholds.TRAIN_MODEL_EPOCHS:
        fail("the number of epochs in the History", should=thresholds.TRAIN_MODEL_EPOCHS, got=epochs,
             hint="pass epochs to fit.")
    ratio = mean_squared_error(model, x, y) / before  # measured here, not read from the History
    measured("train_model: MSE after / before", ratio, thresholds.TRAIN_LOSS_RATIO, at_most=True)
    if not ratio <= thresholds.TRAIN_LOSS_RATIO:
        fail("the model's MSE after training / before", should=f"at most {thresholds.TRAIN_LOSS_RATIO}",
             got=f"{ratio:.3f}", hint="Adam with learning_rate=0.01 and loss='mse'.")
    # Silence second: a History that did not train (faked, say) is told so first.
    require_silent_fit(history)


def mean_squared_error(model, x, y):
    """The grader's own MSE of `model` on (x, y): forward pass only, no learner code involved."""
    return float(np.mean((np.asarray(model(tf.constant(x), training=False)) - y) ** 2))


# ---------------------------------------------------------------- 8. checkpoints
def fixed_step(model, optimizer, gradient):
    """One optimizer step with every gradient equal to `gradient`: state to save, no loss needed."""
    optimizer.apply_gradients(zip([tf.fill(v.shape, gradient) for v in model.trainable_variables],
                                  model.trainable_variables))


def small_trained_model(steps):
    """A model and an Adam optimizer that has taken `steps` steps, so both have state to save.

    The model's BatchNormalization holds weights that no optimizer knows (its moving statistics,
    set here): only a checkpoint that tracks the model itself saves them.
    """
    model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(4),
                                 tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(1)])
    for statistic in model.non_trainable_weights:
        statistic.assign(np.linspace(0.5, 2.0, statistic.shape[0]).astype(np.float32))
    optimizer = tf.keras.optimizers.Adam(0.01)
    for step in range(steps):
        fixed_step(model, optimizer, 0.1 * (step + 1))
    return model, optimizer


@check(points=2, exercise="make_checkpoint_manager")
def check_checkpoint_restores_latest(make_checkpoint_manager, restore_latest):
    """Check that restore_latest brings back the newest saved weights (non-trainable ones too) and
    the optimizer's step."""
    model, optimizer = small_trained_model(steps=3)
    with tempfile.TemporaryDirectory() as directory:
        manager = make_checkpoint_manager(model, optimizer, directory, max_to_keep=3)
        if not isinstance(manager, tf.train.CheckpointManager):
            fail("make_checkpoint_manager(...)", should="a tf.train.CheckpointManager",
                 got=a_type(manager))
        values = lambda weights: [np.array(w.numpy()) for w in weights]  # noqa: E731
        manager.save()
        older = values(model.trainable_weights)
        fixed_step(model, optimizer, 1.0)
        manager.save()
        saved = values(model.trainable_weights), values(model.non_trainable_weights)
        saved_step = int(optimizer.iterations.numpy())
        for variable in model.weights:  # change everything after the save
            variable.assign(tf.zeros_like(variable))
        optimizer.iterations.assign(100)
        path = restore_latest(manager)
        if path != manager.latest_checkpoint:
            fail("restore_latest's return value", should=repr(manager.latest_checkpoint),
                 got=short(path), hint="return the path you restored.")
        restored = values(model.trainable_weights), values(model.non_trainable_weights)
        same = [all(np.array_equal(a, b) for a, b in zip(*pair)) for pair in zip(saved, restored)]
        if not same[0]:
            fail_restored_weights(restored[0], older)
        if not same[1]:
            fail("the model's non-trainable weights (BatchNormalization's moving statistics) after "
                 "restore_latest", should="the saved ones", got="other values",
                 hint="the Checkpoint must track the model itself, not only the optimizer (which "
                 "knows the trainable weights only): Checkpoint(model=..., optimizer=...).")
        if int(optimizer.iterations.numpy()) != saved_step:
            fail("optimizer.iterations after restore_latest", should=saved_step,
                 got=int(optimizer.iterations.numpy()),
                 hint="the Checkpoint must track the optimizer too: Checkpoint(model=..., optimizer=...).")


def fail_restored_weights(restored, older):
    """Fail, naming what the weights after restore_latest show: nothing restored (they are still
    the zeros the check wrote after saving), an older save, or something else."""
    __tracebackhide__ = True
    if all(not np.any(weight) for weight in restored):
        fail("the weights after restore_latest", should="the weights of the newest save",
             got="the zeros written after saving: nothing was restored",
             hint="finding the newest path is half the job: call restore on manager.checkpoint "
             "with that path, and return it.")
    if all(np.array_equal(a, b) for a, b in zip(restored, older)):
        fail("the weights after restore_latest", should="the weights of the newest save",
             got="those of the older save", hint="restore manager.latest_checkpoint, the newest.")
    fail("the weights after restore_latest", should="the weights of the newest save",
         got="other values", hint="restore manager.latest_checkpoint through manager.checkpoint, "
         "the Checkpoint that tracks the model.")


@check(points=1, exercise="make_checkpoint_manager")
def check_checkpoint_keeps_max_to_keep(make_checkpoint_manager):
    """Check that the manager keeps only the newest max_to_keep checkpoints."""
    model, optimizer = small_trained_model(steps=1)
    with tempfile.TemporaryDirectory() as directory:
        manager = make_checkpoint_manager(model, optimizer, directory, max_to_keep=2)
        for _ in range(4):
            manager.save()
        kept = len(manager.checkpoints)
        if kept != 2:
            fail("checkpoints kept after 4 saves with max_to_keep=2", should=2, got=kept,
                 hint="pass max_to_keep to tf.train.CheckpointManager.")
