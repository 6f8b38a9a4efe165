"""Graded checks of Part 3 (transfer learning from digits 0-4 to digits 5-9).

Every expected value comes from data or from a closed form, never from the reference solution,
and nothing here builds what an exercise returns (a learner's copy of the grader is read):

- load_frozen_base's expected features and fit_linear_classifier's inputs are the shipped base's
  features, stored as data (autograder/data/part3_features.npz, written by the instructor's
  `make grader-data`, SHA-256 checked).
- build_transfer_model is checked on a small random stand-in base (how a head is put on a base
  does not depend on the base), extract_features on a base whose output has a closed form.
- fine_tune is checked on a transfer model stored as data (part3_transfer.keras: another base
  than the shipped one, its head already trained), loaded fresh for each use.
- The learner's load_frozen_base, build_transfer_model and train_head are run once per grading
  process (`head_run`, cached; it calls environment.reset_state itself) and shared by the checks
  that need a trained head. The grader computes the held-out accuracy itself by calling the
  model, which must be a plain Keras model made of Keras's own layers.
- Keras 3 (3.15 measured): calling a model with training=True passes training=True on to every
  nested layer, even one called with training=False when the model was built. So "the base is
  called with training=False" is read from the model's graph (the base's call node), and what
  keeps BatchNormalization's statistics put while fine-tuning is freezing it.
"""

import functools
import pathlib
import time
import warnings

import numpy as np
import tensorflow as tf

from autograder.checkkit import environment, thresholds
from autograder.checkkit.progress import phase
from autograder.checkkit.registry import check
from autograder.checkkit.tf_inspect import nested_layers, require_silent_fit
from autograder.checkkit.verdict import fail, measured, short
from autograder.checkkit.wording import a_type
from autograder.checks.part2 import require_loss_reads_logits, require_plain_keras_model, require_plain_model_class

NUM_CLASSES = 5
IMAGE_SHAPE = (8, 8, 1)
FEATURES = 1024  # the base's "flatten" output: 4 x 4 x 64
TRAIN_TIMEOUT = 180  # seconds for a check that may train (about 3 s on 2 cores)
MOBILENET_SHAPE = (64, 64, 3)  # 2 x 2 feature maps, so that average pooling shows
MOBILENET_FEATURES = 1280
DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
FEATURES_PATH = DATA / "part3_features.npz"
TRANSFER_PATH = DATA / "part3_transfer.keras"
TRANSFER_RECORD = DATA / "part3_transfer.json"
FLOAT16_TOLERANCE = 2e-3  # the stored features are float16: 11 significant bits


# ---------------------------------------------------------------- the grader's data
@functools.lru_cache(maxsize=1)
def target_data():
    """(x_train, y_train), (x_test, y_test) of digits 5-9, labels 0-4, as the grader loads them."""
    from coursekit import pretrained

    return pretrained.load_classes(pretrained.TARGET_CLASSES)


def few_examples(seed, pool=None):
    """HEAD_PER_CLASS training images of each of 5-9, drawn from `seed` (or the same draw from
    `pool`, an array with one row per training image, such as their features)."""
    from coursekit import pretrained

    (x_train, y_train), _ = target_data()
    return pretrained.sample_per_class(x_train if pool is None else pool, y_train,
                                       thresholds.HEAD_PER_CLASS, seed)


@functools.lru_cache(maxsize=1)
def base_features():
    """{"train", "test"}: the shipped base's "flatten" features of the images of 5-9, float32."""
    from coursekit.datafiles import checked

    with np.load(checked(FEATURES_PATH, "make grader-data"), allow_pickle=False) as arrays:
        return {name: arrays[name].astype(np.float32) for name in ("train", "test")}


def transfer_model():
    """(model, base): a fresh copy of the grader's transfer model, compiled, its head trained
    HEAD_EPOCHS epochs on fine_tune_sample(), and the base model inside it."""
    from coursekit.datafiles import checked

    model = tf.keras.models.load_model(checked(TRANSFER_PATH, "make grader-data"))
    base = next(layer for layer in model.layers if isinstance(layer, tf.keras.Model))
    return model, base


def fine_tune_sample():
    """The images the transfer model's head was trained on, and fine-tuning goes on with."""
    return few_examples(thresholds.FINE_TUNE_SAMPLE_SEED)


def stand_in_base():
    """A small base of random weights (convolution, BatchNormalization, flatten, like the digits
    base) for the checks of build_transfer_model: putting a head on a base works for any base."""
    inputs = tf.keras.Input(IMAGE_SHAPE)
    x = tf.keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    x = tf.keras.layers.BatchNormalization()(x)
    return tf.keras.Model(inputs, tf.keras.layers.Flatten()(x), name="stand_in")


def closed_form_base(frozen):
    """(base, expected): a base whose inference-mode output is known in closed form, Flatten then
    a BatchNormalization with statistics, scale and offset set here, and that closed form."""
    rng = np.random.default_rng(31)
    size = int(np.prod(IMAGE_SHAPE))
    gamma, variance = (rng.uniform(0.5, 2.0, size).astype(np.float32) for _ in range(2))
    beta, mean = (rng.normal(0.0, 0.5, size).astype(np.float32) for _ in range(2))
    normalization = tf.keras.layers.BatchNormalization()
    inputs = tf.keras.Input(IMAGE_SHAPE)
    base = tf.keras.Model(inputs, normalization(tf.keras.layers.Flatten()(inputs)), name="closed_form")
    normalization.set_weights([gamma, beta, mean, variance])
    base.trainable = not frozen
    scale = gamma / np.sqrt(variance + normalization.epsilon)
    return base, lambda images: (images.reshape(len(images), -1) - mean) * scale + beta


def logits_of(model, images, what):
    __tracebackhide__ = True
    try:
        value = model(tf.constant(images), training=False)
    except Exception as error:
        fail(f"calling {what} on images of shape {images.shape}", should="logits",
             got=f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}")
    return np.asarray(value, dtype=np.float32)


def accuracy_of(model, what):
    """The grader's own held-out accuracy on 5-9, from the model's outputs."""
    __tracebackhide__ = True
    _, (x_test, y_test) = target_data()
    logits = logits_of(model, x_test, what)
    if logits.shape != (len(x_test), NUM_CLASSES):
        fail(f"the output shape of {what}", should=(len(x_test), NUM_CLASSES), got=logits.shape)
    return float(np.mean(logits.argmax(axis=1) == y_test))


def weight_bytes(layer):
    return [np.array(w).tobytes() for w in layer.weights]


def call_nodes(inner, model):
    """The nodes where `model`'s graph calls `inner` (a layer or a nested model)."""
    by_depth = getattr(model, "_nodes_by_depth", {})
    return [node for nodes in by_depth.values() for node in nodes if node.operation is inner]


def require_functional(model, what):
    """Fail, saying so first, unless `model` is a functional model or a Sequential: the grader
    reads from the model's graph how it calls the base."""
    __tracebackhide__ = True
    require_plain_model_class(model, what, should="a functional tf.keras.Model(inputs, outputs)",
                              hint="build it with the functional API, as the docstring says: the "
                              "grader reads from the model's graph how it calls the base.")


def require_inference_call(inner, model, what, hint):
    """Fail unless every call of `inner` inside `model`'s graph passes training=False."""
    __tracebackhide__ = True
    nodes = call_nodes(inner, model)
    if not nodes:
        fail(f"the model's graph", should=f"a call of {what}", got="none",
             hint="call the base on the Input tensor: features = base(inputs, training=False).")
    for node in nodes:
        training = node.arguments.kwargs.get("training")
        if training is not False:
            fail(f"the `training` argument of the call of {what}", should="False",
                 got="not given" if training is None else short(training), hint=hint)


# ---------------------------------------------------------------- a. load_frozen_base
@check(points=2, exercise="load_frozen_base")
def check_base_is_frozen_pretrained_features(load_frozen_base):
    """Check that load_frozen_base gives the pretrained network up to "flatten", frozen."""
    base = load_frozen_base()
    if not isinstance(base, tf.keras.Model):
        fail("load_frozen_base()", should="a tf.keras.Model", got=a_type(base))
    if base.trainable_weights:
        fail("the base's trainable weights", should="none",
             got=f"{len(base.trainable_weights)} ({base.trainable_weights[0].path}, ...)",
             hint="set base.trainable = False after cutting the model.")
    if base.trainable:
        fail("base.trainable", should="False", got="True (its layers are frozen one by one, "
             "but the model's own flag is not)", hint="set base.trainable = False, as the "
             "docstring says: that freezes the model and every layer inside it.")
    declared = getattr(base, "output_shape", None)
    if declared != (None, FEATURES):
        fail("base.output_shape", should=(None, FEATURES), got=short(declared),
             hint='cut the model at its layer "flatten" (pretrained.FEATURE_LAYER): the "hidden" '
             "and \"logits\" layers are specific to 0-4.")
    _, (x_test, _) = target_data()
    expected = base_features()["test"][:32]
    got = np.asarray(base(tf.constant(x_test[:32]), training=False), dtype=np.float32)
    if got.shape != expected.shape or not np.allclose(got, expected, atol=FLOAT16_TOLERANCE,
                                                      rtol=FLOAT16_TOLERANCE):
        fail("the base's features of 32 test images", should="those of the pretrained network",
             got="different values",
             hint="load the network with pretrained.load_base(), keep its weights (no training, "
             "no rebuilding), and cut it at \"flatten\".")


# ---------------------------------------------------------------- b. build_transfer_model
def learner_transfer_model(build_transfer_model, base, num_classes=NUM_CLASSES):
    __tracebackhide__ = True
    model = build_transfer_model(base, num_classes=num_classes)
    require_functional(model, f"build_transfer_model(base, num_classes={num_classes})")
    return model


@check(points=2, exercise="build_transfer_model")
def check_transfer_model_trains_only_a_new_head(build_transfer_model):
    """Check that the transfer model outputs (None, num_classes) logits and only its head is trainable."""
    for num_classes in (NUM_CLASSES, 3):
        base = stand_in_base()  # not frozen: the function must freeze it
        model = learner_transfer_model(build_transfer_model, base, num_classes)
        call = f"build_transfer_model(base, num_classes={num_classes})"
        declared = getattr(model, "output_shape", None)
        if declared != (None, num_classes):
            fail(f"{call}.output_shape", should=(None, num_classes), got=short(declared),
                 hint="end with a Dense layer of num_classes units, no softmax.")
        if model.input_shape != (None, *IMAGE_SHAPE):
            fail(f"{call}.input_shape", should=(None, *IMAGE_SHAPE), got=short(model.input_shape),
                 hint="start from tf.keras.Input(shape=(8, 8, 1)): one grey channel per image.")
        base_ids = {id(w) for w in base.weights}
        trainable = model.trainable_weights
        from_base = [w.path for w in trainable if id(w) in base_ids]
        if from_base:
            fail(f"the trainable weights of {call}", should="only the new head's",
                 got=f"{len(from_base)} of the base's too ({from_base[0]}, ...)",
                 hint="set base.trainable = False before building: only the head may learn.")
        if not trainable:
            fail(f"the trainable weights of {call}", should="the new head's kernel and bias",
                 got="none", hint="add a new Dense(num_classes) layer after the base.")
        outputs = logits_of(model, target_data()[1][0][:4], call)
        if outputs.min() >= 0:
            fail("the model's outputs", should="logits (some negative)", got="only values >= 0",
                 hint="give the last Dense layer no activation: the loss takes logits.")
        if not call_nodes(base, model):
            fail(f"the layers of {call}", should="the base you were given, called on the input",
                 got="no call of it", hint="features = base(inputs, training=False).")


@check(points=1, exercise="build_transfer_model")
def check_transfer_model_calls_base_in_inference_mode(build_transfer_model):
    """Check that the transfer model calls the base with training=False."""
    base = stand_in_base()
    model = learner_transfer_model(build_transfer_model, base)
    require_inference_call(base, model, "the base", hint="features = base(inputs, training=False): "
                           "BatchNormalization then uses its moving statistics, as it did on 0-4.")


# ---------------------------------------------------------------- c. train_head, the shared run
_RUNS = {}  # (functions..., seed) -> ("ok", dict) or ("raised", error); one entry at most


def train_learner_head(load_frozen_base, build_transfer_model, train_head, seed):
    """Load the learner's base, build their model, train the head with their train_head on
    HEAD_PER_CLASS images per class for HEAD_EPOCHS epochs; scripts/measure_part3_grader.py calls
    this too. Returns {model, base, before (the base's weight bytes), history, seconds}."""
    environment.reset_state(seed)
    images, labels = few_examples(seed)
    begin = time.perf_counter()
    base = load_frozen_base()
    before = weight_bytes(base) if isinstance(base, tf.keras.Model) else None
    model = build_transfer_model(base, num_classes=NUM_CLASSES)
    phase(f"training the head with your train_head ({thresholds.HEAD_EPOCHS} epochs)")
    with warnings.catch_warnings():  # fit's default shuffle=True on a Dataset: ignored, and harmless
        warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")
        history = train_head(model, images, labels, epochs=thresholds.HEAD_EPOCHS,
                             learning_rate=thresholds.HEAD_LEARNING_RATE,
                             batch_size=thresholds.HEAD_BATCH_SIZE)
    return {"model": model, "base": base, "before": before, "history": history,
            "seconds": time.perf_counter() - begin}


def head_run(load_frozen_base, build_transfer_model, train_head):
    """The learner's trained transfer model, trained once per grading process and shared."""
    key = (load_frozen_base, build_transfer_model, train_head, environment.current_seed())
    if key not in _RUNS:
        _RUNS.clear()
        try:
            _RUNS[key] = ("ok", train_learner_head(*key))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # CheckTimeout and SystemExit included
            _RUNS[key] = ("raised", error)
    outcome, value = _RUNS[key]
    if outcome == "raised":
        raise value
    return value


@check(points=2, exercise="train_head", timeout=TRAIN_TIMEOUT)
def check_head_reaches_accuracy_on_new_digits(load_frozen_base, build_transfer_model, train_head):
    """Check that the head trained on 10 images per class reaches the threshold on held-out 5-9."""
    run = head_run(load_frozen_base, build_transfer_model, train_head)
    require_plain_keras_model(run["model"], "the transfer model")
    accuracy = accuracy_of(run["model"], "the trained transfer model")
    measured("load_frozen_base + build_transfer_model + train_head: held-out accuracy on 5-9",
             accuracy, thresholds.HEAD_ACCURACY_THRESHOLD)
    if not accuracy >= thresholds.HEAD_ACCURACY_THRESHOLD:
        fail(f"the accuracy on the held-out images of 5-9 after {thresholds.HEAD_EPOCHS} epochs on "
             f"{thresholds.HEAD_PER_CLASS} images per class",
             should=f"at least {thresholds.HEAD_ACCURACY_THRESHOLD}", got=f"{accuracy:.3f}",
             hint="the pretrained base cut at \"flatten\" (a random or 0-4 specific base scores "
             "far lower), a Dense head on logits, Adam at the learning rate given, all the epochs.")


@check(points=1, exercise="train_head", timeout=TRAIN_TIMEOUT)
def check_head_training_keeps_base_weights(load_frozen_base, build_transfer_model, train_head):
    """Check that train_head returns fit's History, with "loss" and "accuracy" for every epoch, and
    leaves the base's weights byte for byte."""
    run = head_run(load_frozen_base, build_transfer_model, train_head)
    history = run["history"]
    if not isinstance(history, tf.keras.callbacks.History):
        fail("train_head(...)", should="the History that model.fit returns", got=short(history),
             hint="history = model.fit(...); return it.")
    for key, hint in (("loss", "pass the epochs argument on to fit(epochs=epochs)."),
                      ("accuracy", "compile with metrics=[\"accuracy\"].")):
        values = history.history.get(key, [])
        if len(values) != thresholds.HEAD_EPOCHS:
            fail(f"History.history[{key!r}]", should=f"{thresholds.HEAD_EPOCHS} values, one per epoch",
                 got=f"{len(values)}" if key in history.history else f"no such key (keys: "
                 f"{sorted(history.history)})", hint=hint)
    require_silent_fit(history)
    base = run["base"]
    if run["before"] is None or weight_bytes(base) != run["before"]:
        fail("the base's weights after training the head", should="unchanged, byte for byte",
             got="changed", hint="freeze the base (base.trainable = False) before compiling: "
             "compile fixes which weights fit updates.")


@check(points=1, exercise="train_head")
def check_train_head_uses_its_arguments(train_head):
    """Check that train_head compiles Adam at the learning rate given, and fits for the epochs and
    batch size given."""
    model, _ = transfer_model()  # compiled at HEAD_LEARNING_RATE already: train_head compiles again
    images, labels = fine_tune_sample()
    rate, epochs, batch_size = 5e-4, 2, 10
    call = f"train_head(model, 50 images, labels, epochs={epochs}, learning_rate={rate:g}, " \
           f"batch_size={batch_size})"
    train_head(model, images, labels, epochs=epochs, learning_rate=rate, batch_size=batch_size)
    optimizer = getattr(model, "optimizer", None)
    if not isinstance(optimizer, tf.keras.optimizers.Adam):
        fail(f"the optimizer after {call}", should="Adam", got=type(optimizer).__name__,
             hint="compile with optimizer=tf.keras.optimizers.Adam(learning_rate).")
    got = float(np.asarray(optimizer.learning_rate))
    if not np.isclose(got, rate, rtol=1e-5):
        fail(f"the learning rate after {call}", should=f"{rate:g}", got=f"{got:g}",
             hint="compile inside train_head, every time, with Adam(learning_rate): the model may "
             "arrive compiled with another rate.")
    steps = epochs * -(-len(labels) // batch_size)
    if int(optimizer.iterations) != steps:
        fail(f"the optimizer's steps after {call}", should=f"{steps} ({epochs} epochs of "
             f"{-(-len(labels) // batch_size)} batches)", got=int(optimizer.iterations),
             hint="pass epochs and batch_size on to fit.")


# ---------------------------------------------------------------- d. fine_tune
def fine_tuned(fine_tune, num_layers, head_learning_rate, head_step=False):
    """A fresh copy of the grader's transfer model and its base, after the learner's fine_tune.

    head_step: take one training step of the head first, as after train_head: Keras then has a
    train function that only recompiling replaces.
    """
    __tracebackhide__ = True
    model, base = transfer_model()
    if head_step:
        images, labels = fine_tune_sample()
        model.train_on_batch(images[:thresholds.HEAD_BATCH_SIZE], labels[:thresholds.HEAD_BATCH_SIZE])
    returned = fine_tune(model, base, num_layers=num_layers, head_learning_rate=head_learning_rate)
    if returned is not model:
        fail("fine_tune(model, base, ...)", should="the same model, changed in place",
             got=short(returned), hint="change model and base in place and return model.")
    return model, base


RECOMPILE_HINT = "compile the model again after changing trainable: compile fixes which weights fit updates."


def fit_after_fine_tune(model, images, labels, epochs):
    """model.fit after the learner's fine_tune; a fit that fails because the model was not
    recompiled (its optimizer knows only the head's weights) says so."""
    __tracebackhide__ = True
    try:
        return model.fit(images, labels, epochs=epochs, batch_size=thresholds.HEAD_BATCH_SIZE,
                         verbose=0)
    except ValueError as error:
        message = (str(error).strip().splitlines() or [""])[0][:160]
        fail("model.fit after fine_tune", should="training the unfrozen layers",
             got=f"ValueError: {message}",
             hint=RECOMPILE_HINT if "Unknown variable" in message else "fine_tune must leave a "
             "model compiled like train_head's: the same loss and metric, a new Adam.")


def expected_trainable(base, num_layers):
    top = base.layers[len(base.layers) - num_layers:]
    return {layer.name: (layer in top and not isinstance(layer, tf.keras.layers.BatchNormalization))
            for layer in base.layers if layer.weights}


@check(points=2, exercise="fine_tune")
def check_fine_tune_unfreezes_top_layers_but_not_batch_norm(fine_tune):
    """Check that fine_tune unfreezes exactly the top layers with weights, BatchNormalization excluded,
    and recompiles so that one epoch moves exactly those."""
    images, labels = fine_tune_sample()
    for num_layers in (5, 8, 0):  # two counts, so that a hard-coded one fails; 0 unfreezes none
        model, base = fine_tuned(fine_tune, num_layers, thresholds.HEAD_LEARNING_RATE,
                                 head_step=num_layers == 5)
        expected = expected_trainable(base, num_layers)
        got = {name: base.get_layer(name).trainable for name in expected}
        if got != expected:
            wrong = [name for name in expected if got[name] != expected[name]]
            batch_norm = [n for n in wrong if isinstance(base.get_layer(n),
                                                         tf.keras.layers.BatchNormalization)]
            fail(f"layer.trainable after fine_tune(..., num_layers={num_layers})",
                 should=", ".join(f"{n}={expected[n]}" for n in wrong),
                 got=", ".join(f"{n}={got[n]}" for n in wrong),
                 hint="keep every BatchNormalization layer frozen (layer.trainable = False): "
                 "training its gamma and beta on a few images undoes the base." if batch_norm else
                 "unfreeze base.layers[len(base.layers) - num_layers:] only.")
        if num_layers != 5:
            continue  # one epoch of fit (a trace and a step, ~1.5 s) shows recompiling once
        before = {name: weight_bytes(base.get_layer(name)) for name in expected}
        fit_after_fine_tune(model, images, labels, epochs=1)
        moved = {name: weight_bytes(base.get_layer(name)) != before[name] for name in expected}
        if moved != expected:
            fail(f"the base layers that one epoch of fit changes (num_layers={num_layers})",
                 should=", ".join(n for n in expected if expected[n]) or "none",
                 got=", ".join(n for n in expected if moved[n]) or "none",
                 hint=RECOMPILE_HINT)


@check(points=1, exercise="fine_tune")
def check_fine_tune_lowers_learning_rate(fine_tune):
    """Check that fine_tune recompiles with a learning rate at most a tenth of the head's, and the
    head's loss on logits."""
    for head_learning_rate in (thresholds.HEAD_LEARNING_RATE, 2e-4):
        model, _ = fine_tuned(fine_tune, 5, head_learning_rate)
        require_loss_reads_logits(model)
        optimizer = getattr(model, "optimizer", None)
        rate = getattr(optimizer, "learning_rate", None)
        try:
            rate = float(np.asarray(rate))
        except (TypeError, ValueError):
            fail("the fine-tuning optimizer's learning rate", should="a number", got=short(rate),
                 hint="compile with tf.keras.optimizers.Adam(head_learning_rate / 10).")
        limit = head_learning_rate * thresholds.FINE_TUNE_RATE_FACTOR
        if not 0 < rate <= limit * (1 + 1e-6):
            fail(f"the learning rate after fine_tune(..., head_learning_rate={head_learning_rate:g})",
                 should=f"at most {limit:g} (a tenth of the head's)", got=f"{rate:g}",
                 hint="recompile with Adam(head_learning_rate / 10): large steps would wreck the "
                 "pretrained weights you just unfroze.")


def trained_on(model, what):
    """`model` after FINE_TUNE_EPOCHS more epochs of fit on fine_tune_sample(); `what` is said
    on the live progress line."""
    phase(f"{what} ({thresholds.FINE_TUNE_EPOCHS} epochs)")
    fit_after_fine_tune(model, *fine_tune_sample(), epochs=thresholds.FINE_TUNE_EPOCHS)
    return model


@functools.lru_cache(maxsize=1)
def head_only_accuracy(seed):
    """What fine-tuning is compared with: the transfer model's held-out accuracy after
    FINE_TUNE_EPOCHS more epochs of its head alone, from `seed`. No learner code takes part, so
    for the grader's seed it is data (`make grader-data` trains it once: part3_transfer.json);
    for another seed (`make flake-check`) it is trained here."""
    stored = transfer_record().get("head_only_accuracy", {}).get(str(seed))
    return stored if stored is not None else train_head_only(seed)


def train_head_only(seed):
    """The transfer model's head trained FINE_TUNE_EPOCHS more epochs alone, from `seed`; its
    held-out accuracy."""
    environment.reset_state(seed)  # before loading: loading draws the dropout's seed
    model, _ = transfer_model()
    return accuracy_of(trained_on(model, "training the head alone, for comparison"),
                       "the grader's transfer model")


@functools.lru_cache(maxsize=1)
def transfer_record():
    """How the transfer model was made, and what the grader's seed gives (part3_transfer.json)."""
    import json

    return json.loads(TRANSFER_RECORD.read_text())


def fine_tune_accuracies(fine_tune, seed):
    """(fine-tuned accuracy, head-only accuracy), both after FINE_TUNE_EPOCHS more epochs of the
    grader's transfer model from `seed`: with the learner's fine_tune first, or of the head alone."""
    environment.reset_state(seed)
    model, _ = fine_tuned(fine_tune, 5, thresholds.HEAD_LEARNING_RATE)
    tuned = accuracy_of(trained_on(model, "training after your fine_tune"), "the fine-tuned model")
    return tuned, head_only_accuracy(seed)


@check(points=2, exercise="fine_tune", timeout=TRAIN_TIMEOUT)
def check_fine_tune_keeps_accuracy(fine_tune):
    """Check that fine-tuning conv2 keeps the held-out accuracy of training the head alone."""
    tuned, head_only = fine_tune_accuracies(fine_tune, environment.current_seed())
    measured("fine_tune: fine-tuned minus head-only accuracy", tuned - head_only,
             -thresholds.FINE_TUNE_ACCURACY_TOLERANCE)
    if not tuned >= head_only - thresholds.FINE_TUNE_ACCURACY_TOLERANCE:
        fail(f"the held-out accuracy after {thresholds.FINE_TUNE_EPOCHS} epochs of fine-tuning",
             should=f"at least {head_only:.3f} - {thresholds.FINE_TUNE_ACCURACY_TOLERANCE} "
             "(the head trained alone as long)", got=f"{tuned:.3f}",
             hint="a learning rate a tenth of the head's, BatchNormalization kept frozen.")


# ---------------------------------------------------------------- e. feature extraction
@check(points=1, exercise="extract_features")
def check_extract_features_in_inference_mode(extract_features):
    """Check that extract_features gives the base's inference-mode outputs as a float32 array."""
    _, (x_test, _) = target_data()
    images = x_test[:40]
    for frozen in (True, False):  # an unfrozen base shows training mode (batch statistics)
        base, closed_form = closed_form_base(frozen)
        expected = closed_form(images)
        got = extract_features(base, images.copy())
        if not isinstance(got, np.ndarray):
            fail("extract_features(base, images)", should="a NumPy array", got=a_type(got),
                 hint="convert the base's output, a tensor, to a float32 NumPy array before "
                 "returning it (np.asarray takes a dtype).")
        if got.shape != expected.shape or got.dtype != np.float32:
            fail("extract_features(base, 40 images)", should=f"float32 of shape {expected.shape}",
                 got=f"{got.dtype} of shape {got.shape}")
        if not np.allclose(got, expected, atol=1e-4):
            fail("the features of 40 test images", should="the base's outputs in inference mode",
                 got="other values", hint="call base(images, training=False): in training mode "
                 "BatchNormalization uses the batch's statistics instead of its moving ones.")


@check(points=2, exercise="fit_linear_classifier")
def check_linear_classifier_accuracy(fit_linear_classifier):
    """Check that the linear classifier fit on the frozen features reaches the threshold on 5-9."""
    features = base_features()
    train, labels = few_examples(environment.current_seed(), pool=features["train"])
    test, test_labels = features["test"], target_data()[1][1]
    classifier = fit_linear_classifier(train.copy(), labels.copy())
    coef, intercept = getattr(classifier, "coef_", None), getattr(classifier, "intercept_", None)
    classes = getattr(classifier, "classes_", None)
    if coef is None or intercept is None or classes is None:
        fail("fit_linear_classifier(features, labels)",
             should="a fitted linear classifier (coef_, intercept_, classes_)",
             got=short(classifier), hint="return the fitted LogisticRegression itself.")
    coef, intercept, classes = np.asarray(coef), np.asarray(intercept), np.asarray(classes)
    if coef.shape != (NUM_CLASSES, FEATURES) or intercept.shape != (NUM_CLASSES,) or \
            not np.array_equal(classes, np.arange(NUM_CLASSES)):
        fail("the classifier's coef_ and intercept_",
             should=f"shapes ({NUM_CLASSES}, {FEATURES}) and ({NUM_CLASSES},), classes 0-4",
             got=f"{coef.shape} and {intercept.shape}, classes {short(classes)}",
             hint="fit a multi-class LogisticRegression on all the features and labels given.")
    predictions = classes[(test @ coef.T + intercept).argmax(axis=1)]  # the grader's own predict
    accuracy = float(np.mean(predictions == test_labels))
    measured("fit_linear_classifier: held-out accuracy on 5-9", accuracy,
             thresholds.LINEAR_ACCURACY_THRESHOLD)
    if not accuracy >= thresholds.LINEAR_ACCURACY_THRESHOLD:
        fail("the classifier's accuracy on the held-out features of 5-9",
             should=f"at least {thresholds.LINEAR_ACCURACY_THRESHOLD}", got=f"{accuracy:.3f}",
             hint="a LogisticRegression with its default regularisation (C=1.0), fitted on the "
             "features and labels given.")


# ---------------------------------------------------------------- f. MobileNetV2
_MOBILENETS = {}  # (build_mobilenet_transfer, seed) -> ("ok", model) or ("raised", error); one entry:
# building MobileNetV2 costs 2-6 s, and neither check below changes the model


def mobilenet_model(build_mobilenet_transfer):
    """(model, its MobileNetV2 base, a description), built once per grading process."""
    __tracebackhide__ = True
    key = (build_mobilenet_transfer, environment.current_seed())
    if key not in _MOBILENETS:
        _MOBILENETS.clear()
        try:
            _MOBILENETS[key] = ("ok", build_mobilenet(build_mobilenet_transfer))
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            _MOBILENETS[key] = ("raised", error)
    outcome, value = _MOBILENETS[key]
    if outcome == "raised":
        raise value
    return value


def is_mobilenet(layer):
    """Is `layer` a model holding depthwise convolutions, as MobileNetV2 does (whatever its name)?"""
    return isinstance(layer, tf.keras.Model) and any(
        isinstance(inner, tf.keras.layers.DepthwiseConv2D) for inner in nested_layers(layer))


def build_mobilenet(build_mobilenet_transfer):
    __tracebackhide__ = True
    model = build_mobilenet_transfer(input_shape=MOBILENET_SHAPE, num_classes=NUM_CLASSES,
                                     weights=None)
    what = f"build_mobilenet_transfer(input_shape={MOBILENET_SHAPE}, num_classes={NUM_CLASSES})"
    require_functional(model, what)
    base = next((layer for layer in model.layers if is_mobilenet(layer)), None)
    if base is None:
        inlined = any(isinstance(layer, tf.keras.layers.DepthwiseConv2D) for layer in model.layers)
        fail(f"the layers of {what}", should="the MobileNetV2 base as one nested model, called once",
             got="its layers inlined in your model (input_tensor=...)" if inlined else
             ", ".join(type(layer).__name__ for layer in model.layers),
             hint="create MobileNetV2 as one model (include_top=False, with the weights and "
             "input_shape given) and call it once, with training=False: one call of the base is "
             "what fixes its training flag.")
    return model, base, what


def pooled_features(model, base, images):
    """What the head should receive for `images`: the base's feature maps averaged over space,
    computed by the grader from the base's output in the learner's graph. None when the base
    pools by itself with another pooling than the average."""
    __tracebackhide__ = True
    features = tf.keras.Model(model.inputs, call_nodes(base, model)[0].output_tensors[0])
    maps = np.asarray(features(tf.constant(images), training=False), dtype=np.float64)
    if maps.ndim == 4:
        return maps.mean(axis=(1, 2))
    if isinstance(base.layers[-1], tf.keras.layers.GlobalAveragePooling2D):
        return maps  # MobileNetV2(..., pooling="avg") averages by itself
    return None


@check(points=2, exercise="build_mobilenet_transfer")
def check_mobilenet_frozen_with_pooled_head(build_mobilenet_transfer):
    """Check the MobileNetV2 model: frozen base called with training=False, then a Dense head on the
    base's average-pooled features giving (None, 5) logits."""
    model, base, what = mobilenet_model(build_mobilenet_transfer)
    if base.trainable_weights:
        fail("the MobileNetV2 base's trainable weights", should="none",
             got=f"{len(base.trainable_weights)}", hint="set base.trainable = False.")
    require_inference_call(base, model, "the MobileNetV2 base",
                           hint="call the base with training=False, as for the digits base.")
    if model.output_shape != (None, NUM_CLASSES):
        fail(f"{what}.output_shape", should=(None, NUM_CLASSES), got=short(model.output_shape))
    trainable = {tuple(w.shape): w for w in model.trainable_weights}
    if sorted(trainable) != [(NUM_CLASSES,), (MOBILENET_FEATURES, NUM_CLASSES)]:
        fail("the shapes of the trainable weights",
             should=f"the head's: ({MOBILENET_FEATURES}, 5) and (5,)", got=short(sorted(trainable)),
             hint="pool the base's 1,280 feature maps to one value each, then only a "
             "Dense(num_classes) head learns.")
    images = np.random.default_rng(32).uniform(0, 255, (3, *MOBILENET_SHAPE)).astype(np.float32)
    pooled = pooled_features(model, base, images)
    if pooled is None:
        fail("the base's own pooling", should='the average (pooling="avg")',
             got=type(base.layers[-1]).__name__,
             hint="average each feature map: GlobalAveragePooling2D(), or pooling=\"avg\".")
    kernel, bias = (np.asarray(trainable[shape], dtype=np.float64)
                    for shape in [(MOBILENET_FEATURES, NUM_CLASSES), (NUM_CLASSES,)])
    expected = pooled @ kernel + bias
    got = logits_of(model, images, what)
    if not np.allclose(got, expected, rtol=1e-3, atol=1e-4 * max(1.0, np.abs(expected).max())):
        fail("the logits for 3 images of 64 x 64", should="Dense(average of each of the base's "
             "feature maps), no activation", got="other values",
             hint="base -> GlobalAveragePooling2D -> Dropout -> Dense(num_classes): average (not "
             "max) pooling, no activation after the Dense layer.")


@check(points=1, exercise="build_mobilenet_transfer")
def check_mobilenet_preprocessing_maps_to_unit_range(build_mobilenet_transfer):
    """Check that the images reach MobileNetV2 scaled from [0, 255] to [-1, 1], as preprocess_input does."""
    model, base, what = mobilenet_model(build_mobilenet_transfer)
    nodes = call_nodes(base, model)
    if not nodes:
        fail(f"the graph of {what}", should="a call of the MobileNetV2 base", got="none")
    seen = tf.keras.Model(model.inputs, nodes[0].input_tensors[0])
    pixels = np.array([0.0, 63.75, 127.5, 255.0], dtype=np.float32)
    images = np.broadcast_to(pixels[:, None, None, None], (4, *MOBILENET_SHAPE)).copy()
    got = np.asarray(seen(tf.constant(images), training=False))[:, 0, 0, 0]
    expected = pixels / 127.5 - 1.0
    if not np.allclose(got, expected, atol=1e-4):
        fail("what the base receives for pixels 0, 63.75, 127.5 and 255", should=short(expected),
             got=short(got), hint="scale inside the model: Rescaling(1 / 127.5, offset=-1) "
             "(what mobilenet_v2.preprocess_input computes) between the Input and the base.")
