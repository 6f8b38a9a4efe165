"""Graded checks of Part 3 (transfer learning from digits 0-4 to digits 5-9).

The grader loads the shipped base itself (coursekit.pretrained, SHA-256 checked) and computes
every expected value from it, never from the reference solution. As in Part 2:

- The learner's load_frozen_base, build_transfer_model and train_head are run once per grading
  process (`head_run`, cached; it calls environment.reset_state itself) and shared by the checks
  that need a trained head. The grader computes the held-out accuracy itself by calling the
  model, which must be a plain Keras model made of Keras's own layers.
- Checks of one exercise use the grader's own objects for the others (its own base, its own
  transfer model and head training), so one mistake costs its own exercise's points only.
- Keras 3 (3.15 measured): calling a model with training=True passes training=True on to every
  nested layer, even one called with training=False when the model was built. So "the base is
  called with training=False" is read from the model's graph (the base's call node), and what
  keeps BatchNormalization's statistics put while fine-tuning is freezing it.
"""

import functools
import random
import time

import numpy as np
import tensorflow as tf

from autograder import environment, thresholds
from autograder.checks.part2 import require_plain_keras_model
from autograder.feedback import fail, measured, short
from autograder.registry import check

NUM_CLASSES = 5
FEATURES = 1024  # the base's "flatten" output: 4 x 4 x 64
TRAIN_TIMEOUT = 180  # seconds for a check that may train (about 3 s on 2 cores)
MOBILENET_SHAPE = (32, 32, 3)


# ---------------------------------------------------------------- the grader's data and base
@functools.lru_cache(maxsize=1)
def target_data():
    """(x_train, y_train), (x_test, y_test) of digits 5-9, labels 0-4, as the grader loads them."""
    from coursekit import pretrained

    return pretrained.load_classes(pretrained.TARGET_CLASSES)


def few_examples(seed):
    """HEAD_PER_CLASS training images of each of 5-9, drawn from `seed`."""
    from coursekit import pretrained

    (x_train, y_train), _ = target_data()
    return pretrained.sample_per_class(x_train, y_train, thresholds.HEAD_PER_CLASS, seed)


@functools.lru_cache(maxsize=1)
def pretrained_weights():
    """The shipped base's weights, as NumPy arrays (loaded once per process).

    Loading builds a model, and building draws seeds; the random states are put back afterwards,
    so that a check's results do not depend on whether an earlier one loaded the weights first.
    """
    from coursekit import pretrained

    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        return [np.array(w) for w in pretrained.load_base().get_weights()]
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


def grader_base(frozen=True, random=False):
    """The grader's own base: the shipped network cut at "flatten" (frozen unless told)."""
    from coursekit import pretrained

    full = pretrained.build_base_recipe()
    if not random:
        full.set_weights(pretrained_weights())
    base = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")
    base.trainable = not frozen
    return base


def grader_transfer_model(base):
    """The grader's own transfer model on `base` (what build_transfer_model should build)."""
    inputs = tf.keras.Input(shape=(8, 8, 1))
    x = tf.keras.layers.Dropout(0.2)(base(inputs, training=False))
    return tf.keras.Model(inputs, tf.keras.layers.Dense(NUM_CLASSES)(x))


def compile_grader(model, learning_rate):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])


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
        fail("load_frozen_base()", should="a tf.keras.Model", got=f"a {type(base).__name__}")
    if base.trainable or base.trainable_weights:
        fail("the base's trainable weights", should="none (base.trainable = False)",
             got=f"{len(base.trainable_weights)} trainable weight(s), trainable={base.trainable}",
             hint="set base.trainable = False after cutting the model.")
    declared = getattr(base, "output_shape", None)
    if declared != (None, FEATURES):
        fail("base.output_shape", should=(None, FEATURES), got=short(declared),
             hint='cut the model at its layer "flatten" (pretrained.FEATURE_LAYER): the "hidden" '
             "and \"logits\" layers are specific to 0-4.")
    _, (x_test, _) = target_data()
    images = x_test[:32]
    expected = np.asarray(grader_base()(tf.constant(images), training=False))
    got = np.asarray(base(tf.constant(images), training=False), dtype=np.float32)
    if got.shape != expected.shape or not np.allclose(got, expected, atol=1e-4):
        fail("the base's features of 32 test images", should="those of the pretrained network",
             got="different values",
             hint="load the network with pretrained.load_base(), keep its weights (no training, "
             "no rebuilding from the recipe), and cut it at \"flatten\".")


# ---------------------------------------------------------------- b. build_transfer_model
def learner_transfer_model(build_transfer_model, base, num_classes=NUM_CLASSES):
    __tracebackhide__ = True
    model = build_transfer_model(base, num_classes=num_classes)
    if not isinstance(model, tf.keras.Model):
        fail("build_transfer_model(base)", should="a tf.keras.Model", got=f"a {type(model).__name__}")
    return model


@check(points=2, exercise="build_transfer_model")
def check_transfer_model_trains_only_a_new_head(build_transfer_model):
    """Check that the transfer model outputs (None, num_classes) logits and only its head is trainable."""
    for num_classes in (NUM_CLASSES, 3):
        base = grader_base(frozen=False)  # as loaded: the function must freeze it
        model = learner_transfer_model(build_transfer_model, base, num_classes)
        call = f"build_transfer_model(base, num_classes={num_classes})"
        declared = getattr(model, "output_shape", None)
        if declared != (None, num_classes):
            fail(f"{call}.output_shape", should=(None, num_classes), got=short(declared),
                 hint="end with a Dense layer of num_classes units, no softmax.")
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
    base = grader_base(frozen=False)
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
    """Check that train_head returns fit's History and leaves the base's weights byte for byte."""
    run = head_run(load_frozen_base, build_transfer_model, train_head)
    history = run["history"]
    if not isinstance(history, tf.keras.callbacks.History):
        fail("train_head(...)", should="the History that model.fit returns", got=short(history),
             hint="history = model.fit(...); return it.")
    losses = history.history.get("loss", [])
    if len(losses) != thresholds.HEAD_EPOCHS:
        fail("the number of epochs in History.history['loss']", should=thresholds.HEAD_EPOCHS,
             got=len(losses), hint="pass the epochs argument on to fit(epochs=epochs).")
    base = run["base"]
    if run["before"] is None or weight_bytes(base) != run["before"]:
        fail("the base's weights after training the head", should="unchanged, byte for byte",
             got="changed", hint="freeze the base (base.trainable = False) before compiling: "
             "compile fixes which weights fit updates.")


# ---------------------------------------------------------------- d. fine_tune
def fine_tuned(fine_tune, num_layers, head_learning_rate, head_weights=None, head_step=None):
    """The grader's transfer model on a fresh pretrained base, after the learner's fine_tune.

    head_step: (images, labels) for one training step of the head before fine_tune, as after
    train_head: Keras then has a train function that only recompiling replaces.
    """
    __tracebackhide__ = True
    base = grader_base()
    model = grader_transfer_model(base)
    if head_weights is not None:
        model.set_weights(head_weights)
    compile_grader(model, head_learning_rate)
    if head_step is not None:
        model.train_on_batch(*head_step)
    returned = fine_tune(model, base, num_layers=num_layers, head_learning_rate=head_learning_rate)
    if returned is not model:
        fail("fine_tune(model, base, ...)", should="the same model, changed in place",
             got=short(returned), hint="change model and base in place and return model.")
    return model, base


def expected_trainable(base, num_layers):
    top = base.layers[len(base.layers) - num_layers:]
    return {layer.name: (layer in top and not isinstance(layer, tf.keras.layers.BatchNormalization))
            for layer in base.layers if layer.weights}


@check(points=2, exercise="fine_tune")
def check_fine_tune_unfreezes_top_layers_but_not_batch_norm(fine_tune):
    """Check that fine_tune unfreezes exactly the top layers with weights, BatchNormalization excluded,
    and recompiles so that one epoch moves exactly those."""
    images, labels = few_examples(environment.current_seed())
    for num_layers in (5, 8):  # two counts, so that a hard-coded one fails
        head_step = (images[:16], labels[:16]) if num_layers == 5 else None
        model, base = fine_tuned(fine_tune, num_layers, thresholds.HEAD_LEARNING_RATE,
                                 head_step=head_step)
        expected = expected_trainable(base, num_layers)
        got = {name: base.get_layer(name).trainable for name in expected}
        if got != expected:
            wrong = [name for name in expected if got[name] != expected[name]]
            batch_norm = [n for n in wrong if n.startswith("bn")]
            fail(f"layer.trainable after fine_tune(..., num_layers={num_layers})",
                 should=", ".join(f"{n}={expected[n]}" for n in wrong),
                 got=", ".join(f"{n}={got[n]}" for n in wrong),
                 hint="keep every BatchNormalization layer frozen (layer.trainable = False): "
                 "training its gamma and beta on a few images undoes the base." if batch_norm else
                 "unfreeze base.layers[len(base.layers) - num_layers:] only.")
        if head_step is None:
            continue  # one epoch of fit (a trace and a step, ~1.5 s) shows recompiling once
        before = {name: weight_bytes(base.get_layer(name)) for name in expected}
        model.fit(images, labels, epochs=1, batch_size=thresholds.HEAD_BATCH_SIZE, verbose=0)
        moved = {name: weight_bytes(base.get_layer(name)) != before[name] for name in expected}
        if moved != expected:
            fail(f"the base layers that one epoch of fit changes (num_layers={num_layers})",
                 should=", ".join(n for n in expected if expected[n]) or "none",
                 got=", ".join(n for n in expected if moved[n]) or "none",
                 hint="compile the model again after changing trainable: compile fixes which "
                 "weights fit updates.")


@check(points=1, exercise="fine_tune")
def check_fine_tune_lowers_learning_rate(fine_tune):
    """Check that fine_tune recompiles with a learning rate at most a tenth of the head's."""
    for head_learning_rate in (thresholds.HEAD_LEARNING_RATE, 2e-4):
        model, _ = fine_tuned(fine_tune, 5, head_learning_rate)
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


@functools.lru_cache(maxsize=1)
def grader_head(seed):
    """(head-only weights, head-only accuracy): the grader's own head, trained HEAD_EPOCHS epochs
    on the pretrained base, then FINE_TUNE_EPOCHS more epochs of the head alone (the comparison)."""
    environment.reset_state(seed)
    images, labels = few_examples(seed)
    model = grader_transfer_model(grader_base())
    compile_grader(model, thresholds.HEAD_LEARNING_RATE)
    model.fit(images, labels, epochs=thresholds.HEAD_EPOCHS, batch_size=thresholds.HEAD_BATCH_SIZE,
              verbose=0)
    weights = model.get_weights()
    model.fit(images, labels, epochs=thresholds.FINE_TUNE_EPOCHS,
              batch_size=thresholds.HEAD_BATCH_SIZE, verbose=0)
    return weights, accuracy_of(model, "the grader's head")


def fine_tune_accuracies(fine_tune, seed):
    """(fine-tuned accuracy, head-only accuracy) from the grader's head after HEAD_EPOCHS epochs:
    FINE_TUNE_EPOCHS more with the learner's fine_tune, or of the head alone."""
    weights, head_only = grader_head(seed)
    environment.reset_state(seed)
    images, labels = few_examples(seed)
    model, _ = fine_tuned(fine_tune, 5, thresholds.HEAD_LEARNING_RATE, weights)
    model.fit(images, labels, epochs=thresholds.FINE_TUNE_EPOCHS,
              batch_size=thresholds.HEAD_BATCH_SIZE, verbose=0)
    return accuracy_of(model, "the fine-tuned model"), head_only


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
        base = grader_base(frozen=frozen)
        expected = np.asarray(base(tf.constant(images), training=False))
        got = extract_features(base, images.copy())
        if not isinstance(got, np.ndarray):
            fail("extract_features(base, images)", should="a NumPy array", got=f"a {type(got).__name__}",
                 hint="np.asarray(base(images, training=False), dtype=np.float32).")
        if got.shape != expected.shape or got.dtype != np.float32:
            fail("extract_features(base, 40 images)", should=f"float32 of shape {expected.shape}",
                 got=f"{got.dtype} of shape {got.shape}")
        if not np.allclose(got, expected, atol=1e-4):
            fail("the features of 40 test images", should="the base's outputs in inference mode",
                 got="other values", hint="call base(images, training=False): in training mode "
                 "BatchNormalization uses the batch's statistics instead of its moving ones.")


@functools.lru_cache(maxsize=1)
def grader_features(seed):
    """The grader's features: (few train features, their labels, test features, test labels)."""
    images, labels = few_examples(seed)
    base = grader_base()
    _, (x_test, y_test) = target_data()
    extract = lambda x: np.asarray(base(tf.constant(x), training=False))  # noqa: E731
    return extract(images), labels, extract(x_test), y_test


@check(points=2, exercise="fit_linear_classifier")
def check_linear_classifier_accuracy(fit_linear_classifier):
    """Check that the linear classifier fit on the frozen features reaches the threshold on 5-9."""
    train, labels, test, test_labels = grader_features(environment.current_seed())
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
             hint="LogisticRegression(max_iter=1000) with its default regularisation (C=1.0).")


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


def build_mobilenet(build_mobilenet_transfer):
    __tracebackhide__ = True
    model = build_mobilenet_transfer(input_shape=MOBILENET_SHAPE, num_classes=NUM_CLASSES,
                                     weights=None)
    what = f"build_mobilenet_transfer(input_shape={MOBILENET_SHAPE}, num_classes={NUM_CLASSES})"
    if not isinstance(model, tf.keras.Model):
        fail(what, should="a tf.keras.Model", got=f"a {type(model).__name__}")
    base = next((l for l in model.layers if isinstance(l, tf.keras.Model)
                 and l.name.startswith("mobilenetv2")), None)
    if base is None:
        fail(f"the layers of {what}", should="a nested MobileNetV2 model",
             got=", ".join(type(l).__name__ for l in model.layers),
             hint="base = tf.keras.applications.MobileNetV2(include_top=False, weights=weights, "
             "input_shape=input_shape), then x = base(x, training=False).")
    return model, base, what


@check(points=2, exercise="build_mobilenet_transfer")
def check_mobilenet_frozen_with_pooled_head(build_mobilenet_transfer):
    """Check the MobileNetV2 model: frozen base called with training=False, pooled head, (None, 5) logits."""
    model, base, what = mobilenet_model(build_mobilenet_transfer)
    if base.trainable or base.trainable_weights:
        fail("the MobileNetV2 base's trainable weights", should="none (base.trainable = False)",
             got=f"{len(base.trainable_weights)}", hint="set base.trainable = False.")
    require_inference_call(base, model, "the MobileNetV2 base",
                           hint="x = base(x, training=False), as for the digits base.")
    if not any(isinstance(l, tf.keras.layers.GlobalAveragePooling2D) for l in model.layers):
        fail(f"the layers of {what}", should="a GlobalAveragePooling2D after the base",
             got=", ".join(type(l).__name__ for l in model.layers),
             hint="average each of the base's 1,280 feature maps: GlobalAveragePooling2D().")
    if model.output_shape != (None, NUM_CLASSES):
        fail(f"{what}.output_shape", should=(None, NUM_CLASSES), got=short(model.output_shape))
    shapes = sorted(tuple(w.shape) for w in model.trainable_weights)
    if shapes != [(NUM_CLASSES,), (1280, NUM_CLASSES)]:
        fail("the shapes of the trainable weights", should="the head's: (1280, 5) and (5,)",
             got=short(shapes), hint="only a Dense(num_classes) head after the pooling learns.")


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
