"""Graded checks of Part 2 (image classification with a convolutional network).

Each check receives the learner's objects by name and computes what they should give from NumPy,
data or a known answer, never from the reference solution; nothing here builds what an exercise
returns (learners can read their copy of the grader). Three ideas keep the checks independent,
so that one mistake costs the points of its own exercise and no others:

- The data pipeline is checked on small synthetic arrays whose pixels encode each example's
  index, so order, coverage and shuffling can be read off the batches.
- The learner's network is trained once per grading process (`trained_run`, cached), on the
  course's split as data (already scaled) fed by the grader's own generator of batches, and
  shared by the checks that need it. The grader computes the test accuracy itself by calling the
  model, which must be a plain Keras model made of Keras's own layers, so no learner code can
  report a score.
- The train step, evaluate_accuracy and confusion_matrix are checked on small models the grader
  builds, with a Dropout or BatchNormalization layer where training mode must show.
"""

import dataclasses
import functools
import time
import warnings

import numpy as np
import tensorflow as tf

from autograder.checkkit import environment, thresholds
from autograder.checkkit.artifacts import artifact_path
from autograder.checkkit.progress import phase
from autograder.checkkit.registry import check
from autograder.checkkit.tf_inspect import is_tf_function, nested_layers, require_silent_fit, tracing_count
from autograder.checkkit.verdict import fail, measured, short
from autograder.checkkit.wording import a_type

NUM_CLASSES = 10
IMAGE_SHAPE = (8, 8, 1)
TRAIN_TIMEOUT = 180  # seconds for a check that may train the network (about 5-10 s on 2 cores)
PICTURES = ("part2_samples.png", "part2_training_curves.png", "part2_confusion_matrix.png")


# ---------------------------------------------------------------- the grader's data
@functools.lru_cache(maxsize=1)
def digits():
    """The course's split ready for a network, (x_train, y_train), (x_test, y_test): float32
    images (N, 8, 8, 1) in [0, 1] and int64 labels, read from data (coursekit.digits)."""
    from coursekit.digits import load_scaled_split

    return load_scaled_split()


def training_feed(images, labels, seed=None):
    """The batches the grader hands to the learner's compile_and_train: a `tf.data.Dataset` of
    CNN_BATCH_SIZE slices of the grader's own arrays, so training never depends on the learner's
    make_dataset. The example numbers are shuffled from `seed` in a new order each epoch and
    each batch gathered by number (no Python runs per batch); with seed None the order stays
    as given (validation). Shuffling numbers rather than the examples draws the same order and
    keeps this feed from being the make_dataset exercise's answer, which it must not hand out."""
    images, labels = tf.constant(images), tf.constant(labels)
    numbers = tf.data.Dataset.range(int(labels.shape[0]))
    if seed is not None:
        numbers = numbers.shuffle(int(labels.shape[0]), seed=seed)  # reshuffled every epoch

    @tf.autograph.experimental.do_not_convert
    def gather(batch_numbers):
        return tf.gather(images, batch_numbers), tf.gather(labels, batch_numbers)

    return numbers.batch(thresholds.CNN_BATCH_SIZE).map(gather)


def as_array(value, what, dtype=None):
    """The learner's value as a NumPy array, or a failure that says what came back."""
    __tracebackhide__ = True
    if isinstance(value, (tf.Tensor, np.ndarray, np.generic)) or hasattr(value, "numpy"):
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
        return array if dtype is None else array.astype(dtype)
    fail(what, should="a NumPy array or a tensor", got=a_type(value))


# ---------------------------------------------------------------- a. preprocess
# Each of the digits' pixel values 0-16 and what preprocess should turn it into (known answers).
SCALED_PIXELS = {0: 0.0, 1: 0.0625, 2: 0.125, 3: 0.1875, 4: 0.25, 5: 0.3125, 6: 0.375,
                 7: 0.4375, 8: 0.5, 9: 0.5625, 10: 0.625, 11: 0.6875, 12: 0.75, 13: 0.8125,
                 14: 0.875, 15: 0.9375, 16: 1.0}


@check(points=2, exercise="preprocess")
def check_preprocess_scales_and_adds_channel(preprocess):
    """Check that preprocess gives float32 images / 16 with a channel axis, and int64 labels."""
    rng = np.random.default_rng(20)
    for shape, label_type in [((5, 8, 8), np.int64), ((3, 28, 28), np.int32)]:
        images = rng.integers(0, 13, size=shape).astype(np.float64)  # this batch's max is 12, not 16
        labels = rng.integers(0, 10, size=shape[0]).astype(label_type)
        result = preprocess(images.copy(), labels.copy())
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail(f"preprocess(images of shape {shape}, labels)", should="a pair (images, labels)",
                 got=short(result))
        scaled = as_array(result[0], "the images preprocess returns")
        int_labels = as_array(result[1], "the labels preprocess returns")
        if scaled.shape != (*shape, 1):
            fail(f"the images' shape for input {shape}", should=(*shape, 1), got=scaled.shape,
                 hint="add a trailing channel axis: images[..., np.newaxis]."
                 if scaled.shape == shape else "keep one image per row, add a channel axis.")
        if scaled.dtype != np.float32:
            fail("the images' dtype", should="float32", got=scaled.dtype.name,
                 hint="Keras layers compute in float32: convert with .astype(np.float32).")
        expected = np.array([SCALED_PIXELS[int(p)] for p in images.ravel()],
                            dtype=np.float32).reshape(scaled.shape)
        if not np.allclose(scaled, expected, atol=1e-6):
            hint = "divide by 16, the digits' largest possible pixel value"
            if np.allclose(scaled, expected * 16.0, atol=1e-6):
                hint = "the pixels are still 0-16: " + hint
            elif np.allclose(scaled, expected * 16.0 / 12.0, atol=1e-6):
                hint += ", not by this batch's own maximum (12 here)"
            elif np.allclose(scaled, expected * 16.0 / 255.0, atol=1e-6):
                hint += "; 255 is MNIST's maximum, not the digits'"
            fail("the scaled pixels", should=f"images / 16 (max {expected.max():.3f})",
                 got=f"max {scaled.max():.4g}, min {scaled.min():.4g}", hint=hint + ".")
        if int_labels.dtype != np.int64 or not np.array_equal(int_labels, labels):
            fail(f"the labels for {label_type.__name__} labels",
                 should=f"the same integers as int64 ({short(labels)})", got=f"{short(int_labels)}",
                 hint="convert them to int64 whatever integer type they arrive as; sparse "
                 "categorical losses want integer class ids, not one-hot rows.")


# ---------------------------------------------------------------- b. the tf.data pipeline
def indexed_examples(count):
    """`count` images whose pixels all equal the example's index, and labels index % 10."""
    index = np.arange(count)
    images = np.broadcast_to(index[:, None, None, None], (count, *IMAGE_SHAPE)).astype(np.float32)
    return images.copy(), (index % NUM_CLASSES).astype(np.int64)


def read_batches(dataset, what):
    """[(indices, labels)] per batch of one pass over `dataset`, from indexed_examples."""
    __tracebackhide__ = True
    if not isinstance(dataset, tf.data.Dataset):
        fail(what, should="a tf.data.Dataset", got=a_type(dataset))
    batches = []
    for element in dataset:
        if not isinstance(element, (tuple, list)) or len(element) != 2:
            fail(f"an element of {what}", should="a pair (images, labels)", got=short(element))
        images, labels = (np.asarray(part) for part in element)
        if images.ndim != 4:
            fail(f"a batch of images from {what}", should="shape (batch, 8, 8, 1)", got=images.shape,
                 hint="batch the dataset: .batch(batch_size).")
        batches.append((images[:, 0, 0, 0].round().astype(np.int64), labels.astype(np.int64)))
    return batches


def pipeline_steps(dataset):
    """The class names of a dataset and of the datasets it reads from, outermost first."""
    names = [type(dataset).__name__]
    for parent in dataset._inputs():
        names += pipeline_steps(parent)
    return names


@check(points=2, exercise="make_dataset")
def check_dataset_batches_and_prefetches(make_dataset):
    """Check the element_spec: (float32 (None, 8, 8, 1), integer (None,)), batched and prefetched."""
    images, labels = indexed_examples(70)
    for training in (True, False):
        dataset = make_dataset(images, labels, batch_size=32, training=training, seed=0)
        what = f"make_dataset(..., training={training})"
        if not isinstance(dataset, tf.data.Dataset):
            fail(what, should="a tf.data.Dataset", got=a_type(dataset))
        spec = dataset.element_spec
        if not isinstance(spec, tuple) or len(spec) != 2 or not all(
                isinstance(s, tf.TensorSpec) for s in spec):
            fail(f"{what}.element_spec", should="a pair of TensorSpecs (images, labels)",
                 got=short(spec, 160), hint="from_tensor_slices((images, labels)).")
        image_spec, label_spec = spec
        shapes = (tuple(image_spec.shape), tuple(label_spec.shape))
        if shapes != ((None, *IMAGE_SHAPE), (None,)):
            hint = "batch the dataset with .batch(batch_size)"
            if shapes[0][:1] == (32,):
                hint = "keep the last, smaller batch: do not pass drop_remainder=True"
            fail(f"the shapes of {what}.element_spec", should="(None, 8, 8, 1) and (None,)",
                 got=f"{shapes[0]} and {shapes[1]}", hint=hint + ".")
        if image_spec.dtype != tf.float32 or not label_spec.dtype.is_integer:
            fail(f"the dtypes of {what}.element_spec", should="float32 images and integer labels",
                 got=f"{image_spec.dtype.name} and {label_spec.dtype.name}")
        steps = pipeline_steps(dataset)
        if not any("Prefetch" in name for name in steps):
            fail(f"the steps of {what}", should="a pipeline that ends with prefetch",
                 got=" <- ".join(name.strip("_").removesuffix("Dataset") for name in steps),
                 hint="add .prefetch(tf.data.AUTOTUNE) last, so the next batch is ready in time.")


@check(points=1, exercise="make_dataset")
def check_dataset_evaluation_keeps_order(make_dataset):
    """Check that the evaluation dataset gives every example once, in order, with its label."""
    images, labels = indexed_examples(70)
    batches = read_batches(make_dataset(images, labels, batch_size=32, training=False, seed=0),
                           "make_dataset(..., training=False)")
    sizes = [len(indices) for indices, _ in batches]
    if sizes != [32, 32, 6]:
        fail("the batch sizes of 70 examples in batches of 32", should=[32, 32, 6], got=sizes,
             hint="batch(batch_size) without drop_remainder keeps the last 6.")
    order = np.concatenate([indices for indices, _ in batches])
    if not np.array_equal(order, np.arange(70)):
        fail("the order of the evaluation examples", should="0, 1, 2, ... (unchanged)",
             got=short(order), hint="shuffle only when training is True; the evaluation split "
             "keeps its order, so predictions line up with the labels.")
    if not np.array_equal(np.concatenate([l for _, l in batches]), labels):
        fail("the labels of the evaluation examples", should="each image's own label",
             got="labels that do not match their images")


@check(points=2, exercise="make_dataset")
def check_dataset_training_shuffles_every_epoch(make_dataset):
    """Check that training batches hold every example once per epoch, reshuffled, from the seed."""
    count, batch_size = 200, 32
    images, labels = indexed_examples(count)
    dataset = make_dataset(images, labels, batch_size=batch_size, training=True, seed=7)
    what = "make_dataset(..., training=True, seed=7)"
    epochs = [read_batches(dataset, what) for _ in range(2)]
    orders = []
    for epoch, batches in enumerate(epochs, start=1):
        order = np.concatenate([indices for indices, _ in batches])
        if len(order) != count or not np.array_equal(np.sort(order), np.arange(count)):
            missing = np.setdiff1d(np.arange(count), order).size
            fail(f"the examples of training epoch {epoch}", should=f"each of the {count} once",
                 got=f"{len(order)} examples, {missing} missing",
                 hint="shuffle the whole set (buffer_size=len(images)), do not repeat() or "
                 "drop_remainder.")
        if not all(np.array_equal(l, i % NUM_CLASSES) for i, l in batches):
            fail("the training labels", should="each image's own label",
                 got="labels separated from their images",
                 hint="shuffle the (images, labels) pairs together, in one dataset.")
        orders.append(order)
    first_batch = np.sort(epochs[0][0][0])
    if np.array_equal(orders[0], np.arange(count)):
        fail("the order of the training examples", should="shuffled", got="unchanged",
             hint="when training is True, call dataset.shuffle(len(images), seed=seed).")
    if all(np.array_equal(np.sort(i), np.arange(i.min(), i.min() + len(i))) for i, _ in epochs[0]):
        fail("the training batches", should="mixed examples from the whole set",
             got=f"runs of neighbours, e.g. {first_batch[0]}..{first_batch[-1]}",
             hint="shuffle before batching: batch-then-shuffle only reorders whole batches.")
    if first_batch.max() < count // 2:
        fail("the first training batch", should=f"examples drawn from all {count}",
             got=f"only examples {first_batch.min()}..{first_batch.max()}",
             hint="a shuffle buffer smaller than the data set shuffles only locally: "
             "use buffer_size=len(images).")
    if np.array_equal(orders[0], orders[1]):
        fail("the order of two training epochs", should="different (reshuffled)", got="the same",
             hint="keep reshuffle_each_iteration=True, so that each epoch sees a new order.")
    again = read_batches(make_dataset(images, labels, batch_size=batch_size, training=True, seed=7), what)
    if not np.array_equal(np.concatenate([i for i, _ in again]), orders[0]):
        fail("two datasets made with the same seed", should="the same first-epoch order",
             got="different orders", hint="pass seed=seed to shuffle, so that runs repeat.")
    other = read_batches(make_dataset(images, labels, batch_size=batch_size, training=True, seed=8),
                         "make_dataset(..., training=True, seed=8)")
    if np.array_equal(np.concatenate([i for i, _ in other]), orders[0]):
        fail("datasets made with seeds 7 and 8", should="different orders", got="the same order",
             hint="use the seed argument, not a fixed number.")


# ---------------------------------------------------------------- c. augmentation
def augmentation_layer(make_augmentation):
    __tracebackhide__ = True
    augmentation = make_augmentation()
    if not isinstance(augmentation, tf.keras.layers.Layer):
        fail("make_augmentation()", should="a Keras layer (e.g. a tf.keras.Sequential)",
             got=a_type(augmentation),
             hint="wrap the random layers in tf.keras.Sequential([...]).")
    return augmentation


@check(points=2, exercise="make_augmentation")
def check_augmentation_random_only_when_training(make_augmentation):
    """Check that the augmentation changes images randomly with training=True and not otherwise."""
    augmentation = augmentation_layer(make_augmentation)
    images = digits()[1][0][:16]
    x = tf.constant(images)
    out = as_array(augmentation(x, training=False), "augmentation(images, training=False)",
                   np.float32)
    if out.shape != images.shape or not np.allclose(out, images, atol=1e-6):
        fail("augmentation(images, training=False)", should="the images unchanged (inference)",
             got="changed images" if out.shape == images.shape else f"shape {out.shape}",
             hint="use Keras's random preprocessing layers (RandomTranslation, RandomRotation, "
             "RandomZoom): they act only when training; a Lambda of tf.image ops always acts.")
    first, second = (as_array(augmentation(x, training=True), "augmentation(images, training=True)",
                              np.float32) for _ in range(2))
    if first.shape != images.shape:
        fail("the shape of augmentation(images, training=True)", should=images.shape, got=first.shape,
             hint="augmentation must keep the image size (no cropping).")
    changed = np.mean([not np.allclose(a, b, atol=1e-3) for a, b in zip(first, images)])
    if changed < 0.5:
        fail("the share of images changed by augmentation(images, training=True)",
             should="at least half", got=f"{changed:.0%}",
             hint="add random layers with a noticeable range, e.g. RandomTranslation(0.1, 0.1).")
    if np.allclose(first, second, atol=1e-6):
        fail("two calls with training=True", should="different random changes", got="the same images",
             hint="random layers draw new changes on every call; do not fix them.")


def recognised_share(augmentation):
    """The share of three augmented copies of the test images that the grader's nearest-class-mean
    model recognises; scripts/measure_part2.py calls this too, to set AUGMENTATION_RECOGNISED."""
    __tracebackhide__ = True
    x_test, y_test = digits()[1]
    changed = np.concatenate([as_array(augmentation(tf.constant(x_test), training=True),
                                       "augmentation(images, training=True)", np.float32)
                              for _ in range(3)])
    predictions = output_of(evaluation_model(), changed, "the grader's model").argmax(axis=1)
    return float(np.mean(predictions == np.tile(y_test, 3)))


@check(points=1, exercise="make_augmentation")
def check_augmentation_keeps_labels(make_augmentation):
    """Check that the augmentation keeps digits recognisable: no flips (a mirrored digit is another
    symbol), and changes small enough that a simple classifier still recognises the images."""
    augmentation = augmentation_layer(make_augmentation)
    flips = [type(layer).__name__ for layer in [augmentation, *nested_layers(augmentation)]
             if isinstance(layer, tf.keras.layers.RandomFlip)]
    if flips:
        fail("the augmentation's layers", should="label-preserving changes only",
             got=f"a {flips[0]}", hint="remove RandomFlip: a mirrored 2 is no longer a 2, and an "
             "upside-down 6 is a 9. Shifts, small rotations and zooms keep the label.")
    recognised = recognised_share(augmentation)
    measured("make_augmentation: augmented test images recognised", recognised,
             thresholds.AUGMENTATION_RECOGNISED)
    if not recognised >= thresholds.AUGMENTATION_RECOGNISED:
        x_test, y_test = digits()[1]
        predictions = output_of(evaluation_model(), x_test, "the grader's model").argmax(axis=1)
        clean = float(np.mean(predictions == y_test))
        fail("the share of augmented test images that the grader's nearest-class-mean classifier "
             f"still recognises ({clean:.2f} of the originals)",
             should=f"at least {thresholds.AUGMENTATION_RECOGNISED}", got=f"{recognised:.2f}",
             hint="keep the ranges small: on 8x8 images a factor of 0.1 is almost a pixel, and "
             "RandomRotation(0.5) turns a digit by up to 180 degrees.")


# ---------------------------------------------------------------- d. the network
def is_plain_model(model):
    """A functional model or a Sequential, not a subclass (exact types)."""
    from keras.src.models.functional import Functional

    return type(model) in (tf.keras.Model, tf.keras.Sequential, Functional)


def require_plain_model_class(model, what, should, hint):
    """Fail unless `model` is a functional model or a Sequential, saying `should` and `hint`."""
    __tracebackhide__ = True
    if not isinstance(model, tf.keras.Model):
        fail(what, should="a tf.keras.Model", got=a_type(model))
    if not is_plain_model(model):
        fail(f"the type of {what}", should=should, got=f"a subclass, {type(model).__name__}",
             hint=hint)


def require_plain_keras_model(model, what):
    """Fail unless `model` is a plain Keras model made only of Keras's own layers.

    The grader calls the model to score it; a layer of the learner's own could return anything
    (say, answers looked up from the test set), so only Keras's built-in layers are trusted.
    """
    __tracebackhide__ = True
    require_plain_model_class(
        model, what, should="a functional tf.keras.Model or a tf.keras.Sequential",
        hint="build it with tf.keras.Model(inputs, outputs) or tf.keras.Sequential([...]); the "
        "grader only trusts Keras's own classes to score it.")
    for layer in [model, *nested_layers(model)]:
        own_code = "call" in vars(layer) or "__call__" in vars(layer)
        if is_plain_model(layer) and not own_code:
            continue
        module = type(layer).__module__
        if (own_code or not module.startswith("keras.src.layers.")
                or isinstance(layer, tf.keras.layers.Lambda)):
            fail(f"the layers of {what}", should="Keras's own layers only",
                 got=f"{type(layer).__name__} ({layer.name})",
                 hint="use tf.keras.layers (Conv2D, MaxPooling2D, Dense, ...): the grader does not "
                 "run layers with code of their own (custom classes, Lambda) when it scores a model.")


def output_of(model, images, what):
    __tracebackhide__ = True
    return as_array(model(tf.constant(images), training=False), what, np.float32)


@check(points=2, exercise="build_cnn")
def check_cnn_outputs_logits(build_cnn):
    """Check that build_cnn's model maps (batch, *input_shape) to logits of shape (batch, num_classes)."""
    rng = np.random.default_rng(21)
    for input_shape, num_classes in [((8, 8, 1), 10), ((8, 8, 1), 7), ((28, 28, 1), 10)]:
        model = build_cnn(input_shape=input_shape, num_classes=num_classes)
        call = f"build_cnn(input_shape={input_shape}, num_classes={num_classes})"
        if not isinstance(model, tf.keras.Model):
            fail(call, should="a tf.keras.Model", got=a_type(model))
        images = rng.uniform(0, 1, size=(3, *input_shape)).astype(np.float32)
        outputs = output_of(model, images, f"the output of {call}")
        if outputs.shape != (3, num_classes):
            fail(f"the output shape of {call} on 3 images", should=(3, num_classes), got=outputs.shape,
                 hint="the last Dense layer needs num_classes units; start from "
                 "tf.keras.Input(shape=input_shape), not a fixed shape.")
        declared = getattr(model, "output_shape", None)
        if isinstance(declared, tuple) and declared != (None, num_classes):
            fail(f"{call}.output_shape", should=(None, num_classes), got=declared)
        if outputs.min() >= 0:
            sums_to_one = np.allclose(outputs.sum(axis=1), 1.0, atol=1e-4)
            fail("the model's outputs", should="logits (any real numbers, some negative)",
                 got="probabilities (rows summing to 1)" if sums_to_one else "only values >= 0",
                 hint="give the last Dense layer no activation: the loss applies the softmax "
                 "itself (from_logits=True).")


@check(points=2, exercise="build_cnn")
def check_cnn_has_convolution_within_budget(build_cnn):
    """Check that build_cnn's model is plain Keras, has a Conv2D, and stays within the parameter budget."""
    model = build_cnn(input_shape=IMAGE_SHAPE, num_classes=NUM_CLASSES)
    require_plain_keras_model(model, "build_cnn()'s model")
    layers = nested_layers(model)
    if not any(isinstance(layer, (tf.keras.layers.Conv2D, tf.keras.layers.SeparableConv2D,
                                  tf.keras.layers.DepthwiseConv2D)) for layer in layers):
        fail("the layers of build_cnn()'s model", should="at least one Conv2D",
             got=", ".join(type(layer).__name__ for layer in layers) or "none",
             hint="a convolution sees each pixel's neighbours; a network of Dense layers only "
             "(or a logistic regression, 0.956 on digits) is not a CNN.")
    count = model.count_params()
    if count > thresholds.CNN_PARAMETER_BUDGET:
        fail("the number of parameters", should=f"at most {thresholds.CNN_PARAMETER_BUDGET:,}",
             got=f"{count:,}", hint="use fewer filters or units, or pool before Flatten: most "
             "parameters sit in the first Dense layer after Flatten.")


# ---------------------------------------------------------------- e, f. training and accuracy
@dataclasses.dataclass(frozen=True)
class TrainedRun:
    model: object
    history: object
    seconds: float


_TRAINED = {}  # (build_cnn, compile_and_train, seed) -> ("ok", TrainedRun) or ("raised", error);
# one entry at most: a grading process grades one submission, and the repository's tests, which
# grade dozens in one process, should not keep every trained network alive


def train_learner_model(build_cnn, compile_and_train, seed):
    """Build the learner's network and train it with their compile_and_train on the grader's data.

    CNN_EPOCHS epochs, batches of CNN_BATCH_SIZE, training shuffled from `seed`, validated on the
    test split. scripts/measure_part2.py calls this very function to set the threshold.
    """
    environment.reset_state(seed)
    (x_train, y_train), (x_test, y_test) = digits()
    begin = time.perf_counter()
    model = build_cnn(IMAGE_SHAPE, NUM_CLASSES)
    train_ds = training_feed(x_train, y_train, seed=seed)
    val_ds = training_feed(x_test, y_test)
    phase(f"training your CNN with your compile_and_train ({thresholds.CNN_EPOCHS} epochs)")
    with warnings.catch_warnings():  # fit's default shuffle=True on a Dataset: ignored, and harmless
        warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")
        history = compile_and_train(model, train_ds, val_ds, thresholds.CNN_EPOCHS)
    return TrainedRun(model, history, time.perf_counter() - begin)


def trained_run(build_cnn, compile_and_train):
    """The learner's trained network, trained once per grading process and shared.

    Training starts from reset_state(seed) whichever check asks first, so the result does not
    depend on the order of the checks. A failure is remembered too: a network whose training
    raised (or timed out) is not trained again by the next check.
    """
    key = (build_cnn, compile_and_train, environment.current_seed())
    if key not in _TRAINED:
        _TRAINED.clear()
        try:
            _TRAINED[key] = ("ok", train_learner_model(*key))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # CheckTimeout and SystemExit included
            _TRAINED[key] = ("raised", error)
    outcome, value = _TRAINED[key]
    if outcome == "raised":
        raise value
    return value


def cross_entropy_from_logits(labels, logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_probabilities[np.arange(len(labels)), labels]))


def require_loss_reads_logits(model):
    """Fail unless the compiled loss treats the model's outputs as logits (from_logits=True)."""
    __tracebackhide__ = True
    loss = getattr(model, "loss", None)
    hint = "compile with loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)."
    if isinstance(loss, str):
        loss = tf.keras.losses.get(loss)
    if not callable(loss):
        fail("the model's compiled loss", should="a loss function", got=short(loss), hint=hint)
    labels = np.array([0, 2, 1], dtype=np.int64)
    logits = np.array([[2.0, -1.0, 0.5], [-0.3, 0.1, 1.2], [0.0, -2.0, -0.5]], dtype=np.float32)
    expected = cross_entropy_from_logits(labels, logits)
    try:
        got = float(np.mean(loss(tf.constant(labels), tf.constant(logits))))
    except Exception as error:
        fail("the compiled loss on integer labels", should=f"{expected:.4f}",
             got=f"{type(error).__name__}", hint="the labels are integers: use the *sparse* "
             "categorical cross-entropy, " + hint[0].lower() + hint[1:])
    if abs(got - expected) > 1e-4:
        fail("the compiled loss on known logits", should=f"{expected:.4f} (cross-entropy of logits)",
             got=f"{got:.4f}", hint="build_cnn returns logits, so the loss must apply the softmax: "
             + hint)


@check(points=2, exercise="compile_and_train", timeout=TRAIN_TIMEOUT)
def check_compile_and_train_history(build_cnn, compile_and_train):
    """Check that compile_and_train returns fit's History, with validation, for every epoch, from
    Adam and a loss on logits."""
    run = trained_run(build_cnn, compile_and_train)
    if not isinstance(run.history, tf.keras.callbacks.History):
        fail("compile_and_train(...)", should="the History that model.fit returns",
             got=short(run.history), hint="history = model.fit(...); return it.")
    record = run.history.history
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        values = record.get(key)
        if values is None:
            fail(f"History.history[{key!r}]", should=f"{thresholds.CNN_EPOCHS} values",
                 got=f"no such key (keys: {sorted(record)})",
                 hint="pass validation_data=val_ds to fit" if key.startswith("val_")
                 else "compile with metrics=['accuracy']")
        if len(values) != thresholds.CNN_EPOCHS:
            fail(f"the number of epochs in History.history[{key!r}]",
                 should=thresholds.CNN_EPOCHS, got=len(values),
                 hint="pass the epochs argument on to fit(epochs=epochs).")
    require_silent_fit(run.history)
    require_loss_reads_logits(run.model)
    optimizer = getattr(run.model, "optimizer", None)
    if not isinstance(optimizer, tf.keras.optimizers.Adam):
        fail("the model's optimizer", should="Adam", got=type(optimizer).__name__,
             hint="compile with optimizer=tf.keras.optimizers.Adam() (without one, Keras "
             "compiles RMSprop).")


def write_pictures(run, predictions, matrix):
    """The learner's samples, training curves and confusion matrix, as PNGs beside the report."""
    from coursekit import pictures

    phase("drawing your network's pictures")
    x_test, y_test = digits()[1]
    history = getattr(run.history, "history", None)
    figures = [pictures.sample_grid(x_test, y_test, predictions),
               pictures.training_curves(history if isinstance(history, dict) else {}),
               pictures.confusion_matrix(matrix)]
    for name, figure in zip(PICTURES, figures):
        pictures.save(figure, artifact_path(name))


@check(points=3, exercise="compile_and_train", timeout=TRAIN_TIMEOUT)
def check_cnn_test_accuracy(build_cnn, compile_and_train):
    """Check that the trained network's accuracy on the held-out split reaches the threshold."""
    for name in PICTURES:  # no picture of an earlier submission stays behind
        artifact_path(name).unlink(missing_ok=True)
    run = trained_run(build_cnn, compile_and_train)
    require_plain_keras_model(run.model, "the trained model")
    x_test, y_test = digits()[1]
    logits = output_of(run.model, x_test, "the trained model's output")
    if logits.shape != (len(x_test), NUM_CLASSES):
        fail("the trained model's output shape", should=(len(x_test), NUM_CLASSES), got=logits.shape)
    predictions = logits.argmax(axis=1)
    accuracy = float(np.mean(predictions == y_test))
    write_pictures(run, predictions, numpy_confusion_matrix(y_test, predictions))
    measured("build_cnn + compile_and_train: held-out accuracy", accuracy,
             thresholds.CNN_ACCURACY_THRESHOLD)
    if not accuracy >= thresholds.CNN_ACCURACY_THRESHOLD:
        fail(f"the test accuracy after {thresholds.CNN_EPOCHS} epochs",
             should=f"at least {thresholds.CNN_ACCURACY_THRESHOLD}", got=f"{accuracy:.3f}",
             hint="convolutions and a hidden Dense layer, logits with from_logits=True, Adam at its "
             "default rate, and all the epochs you are given (see reports/part2_*.png).")


# ---------------------------------------------------------------- g. the tf.function train step
def step_model(batch_norm=False):
    """A small CNN for the train-step checks; with batch_norm, its moving averages show whether
    it was called with training=True."""
    layers = [tf.keras.Input(IMAGE_SHAPE), tf.keras.layers.Conv2D(4, 3, activation="relu")]
    if batch_norm:
        layers.append(tf.keras.layers.BatchNormalization())
    layers += [tf.keras.layers.Flatten(), tf.keras.layers.Dense(NUM_CLASSES)]
    return tf.keras.Sequential(layers)


def step_tools(make_train_step, model):
    """(train_step, loss_fn) for `model` with a fresh Adam, as a learner would make them."""
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam(thresholds.TRAIN_STEP_LEARNING_RATE)
    return make_train_step(model, optimizer, loss_fn), loss_fn


def run_train_steps(make_train_step):
    """Take TRAIN_STEP_STEPS steps on one batch of 64 digits with a fresh Adam.

    Returns (the values train_step returned, the grader's loss before, the grader's loss after);
    scripts/measure_part2.py calls this too, to set TRAIN_STEP_LOSS_RATIO.
    """
    __tracebackhide__ = True
    (x_train, y_train), _ = digits()
    images, labels = tf.constant(x_train[:64]), tf.constant(y_train[:64])
    model = step_model()
    train_step, loss_fn = step_tools(make_train_step, model)
    before = float(loss_fn(labels, model(images, training=False)))
    returned = []
    for _ in range(thresholds.TRAIN_STEP_STEPS):
        value = as_array(train_step(images, labels), "train_step(images, labels)")
        if value.shape != () or not np.issubdtype(value.dtype, np.floating):
            fail("train_step's return value", should="the loss, a float scalar tensor",
                 got=short(value), hint="return loss_fn(labels, logits).")
        returned.append(float(value))
    return returned, before, float(loss_fn(labels, model(images, training=False)))


@check(points=2, exercise="make_train_step")
def check_train_step_lowers_loss(make_train_step):
    """Check that repeated train steps return the current loss and lower it on a batch."""
    returned, before, after = run_train_steps(make_train_step)
    if abs(returned[0] - before) > 1e-4 * max(1.0, before):
        fail("the loss returned by the first step", should=f"{before:.4f} (the loss before the update)",
             got=f"{returned[0]:.4f}", hint="return the loss computed inside the tape.")
    measured("make_train_step: loss after / before", after / before,
             thresholds.TRAIN_STEP_LOSS_RATIO, at_most=True)
    if not after <= thresholds.TRAIN_STEP_LOSS_RATIO * before:
        fail(f"the loss after {thresholds.TRAIN_STEP_STEPS} steps on one batch",
             should=f"at most {thresholds.TRAIN_STEP_LOSS_RATIO} x {before:.3f}", got=f"{after:.3f}",
             hint="take the gradients of the loss with respect to model.trainable_variables and "
             "hand them to optimizer.apply_gradients as (gradient, variable) pairs.")


@check(points=2, exercise="make_train_step")
def check_train_step_traces_once(make_train_step):
    """Check that train_step is a tf.function traced once for full batches and the last partial one."""
    (x_train, y_train), _ = digits()
    train_step, _ = step_tools(make_train_step, step_model())
    if not is_tf_function(train_step):
        fail("make_train_step(...)", should="a tf.function", got=a_type(train_step),
             hint="decorate train_step with @tf.function(input_signature=[...]).")
    counts = []
    for start, size in [(0, 32), (32, 32), (64, 29)]:
        train_step(tf.constant(x_train[start:start + size]), tf.constant(y_train[start:start + size]))
        counts.append(tracing_count(train_step))
    if counts[-1] == 1:
        return
    fail("the number of traces over batches of 32, 32 and 29", should=1,
         got=f"{counts[-1]} (the count after each batch: {', '.join(map(str, counts))})",
         hint=retracing_causes(counts))


OPTIMIZER_TRACE = ("a fresh Adam creates its variables inside the first trace, which then runs "
                   "again (2 traces at the first batch): call optimizer.build(model.trainable_variables) "
                   "before defining the step")
BATCH_SIZE_TRACE = ("the last, smaller batch traced a graph of its own: give tf.function an "
                    "input_signature with batch dimension None, e.g. tf.TensorSpec([None, 8, 8, 1], "
                    "tf.float32)")


def retracing_causes(counts):
    """The hint for a train step's tracing counts after batches of 32, 32 and 29: every cause
    that the counts show, since fixing one leaves the other's trace."""
    if counts[-1] == 0:
        return "the step never ran as a graph: do not switch tf.function off."
    causes = [cause for cause, shows in [(OPTIMIZER_TRACE, counts[0] >= 2),
                                         (BATCH_SIZE_TRACE, counts[-1] > counts[1])] if shows]
    if len(causes) == 2:
        return f"two causes, fix both: {causes[0]}; and {causes[1]}."
    if causes:
        return causes[0] + "."
    return ("a second batch of the same shape traced again: pass tensors, not Python numbers, and "
            "give tf.function an input_signature.")


@check(points=1, exercise="make_train_step")
def check_train_step_uses_training_mode(make_train_step):
    """Check that train_step calls the model with training=True (BatchNormalization's statistics move)."""
    (x_train, y_train), _ = digits()
    model = step_model(batch_norm=True)
    train_step, _ = step_tools(make_train_step, model)
    batch_norm = next(l for l in model.layers if isinstance(l, tf.keras.layers.BatchNormalization))
    before = np.array(batch_norm.moving_mean.numpy())
    train_step(tf.constant(x_train[:32]), tf.constant(y_train[:32]))
    if np.allclose(np.array(batch_norm.moving_mean.numpy()), before):
        fail("a BatchNormalization layer's moving mean after one train step", should="updated",
             got="unchanged", hint="call model(images, training=True): without it, dropout and "
             "batch normalization behave as at inference and you train a different network.")


# ---------------------------------------------------------------- h. evaluation
@functools.lru_cache(maxsize=1)
def centroid_weights():
    """Nearest-class-mean weights from the training split: logits_c = x . m_c - |m_c|^2 / 2."""
    (x_train, y_train), _ = digits()
    flat = x_train.reshape(len(x_train), -1)
    means = np.stack([flat[y_train == c].mean(axis=0) for c in range(NUM_CLASSES)])
    return means.T.astype(np.float32), (-0.5 * (means**2).sum(axis=1)).astype(np.float32)


def evaluation_model():
    """The grader's own fixed classifier (nearest class mean, ~0.9 accuracy, imperfect on purpose)
    with Dropout in front: predicting with dropout on changes its answers."""
    model = tf.keras.Sequential([tf.keras.Input(IMAGE_SHAPE), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dropout(thresholds.EVALUATION_DROPOUT),
                                 tf.keras.layers.Dense(NUM_CLASSES)])
    model.layers[-1].set_weights(list(centroid_weights()))
    model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])  # so that a learner's model.evaluate works too
    return model


def numpy_confusion_matrix(labels, predictions, num_classes=NUM_CLASSES):
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


@check(points=1, exercise="evaluate_accuracy")
def check_evaluate_accuracy_matches_numpy(evaluate_accuracy):
    """Check that evaluate_accuracy equals the share of arg-max predictions (dropout off) that are right."""
    model = evaluation_model()
    x_test, y_test = digits()[1]
    predictions = output_of(model, x_test, "the grader's model").argmax(axis=1)
    expected = float(np.mean(predictions == y_test))
    got = evaluate_accuracy(model, x_test, y_test)
    if not isinstance(got, (float, np.floating)) or np.ndim(got) != 0:
        fail("evaluate_accuracy(...)", should="a Python float", got=short(got),
             hint="return float(np.mean(predictions == labels)).")
    if abs(float(got) - expected) > 0.5 / len(y_test):
        fail("the accuracy of the grader's model on the test split", should=f"{expected:.4f}",
             got=f"{float(got):.4f}", hint="predict in inference mode (model.predict, or "
             "model(images, training=False)), then np.argmax(..., axis=1) per image.")


@check(points=2, exercise="confusion_matrix")
def check_confusion_matrix_matches_numpy(confusion_matrix):
    """Check that confusion_matrix counts (true, predicted) pairs as NumPy does, rows = true labels."""
    model = evaluation_model()
    x_test, y_test = digits()[1]
    predictions = output_of(model, x_test, "the grader's model").argmax(axis=1)
    for num_classes in (NUM_CLASSES, 12):
        expected = numpy_confusion_matrix(y_test, predictions, num_classes)
        matrix = as_array(confusion_matrix(model, x_test, y_test, num_classes=num_classes),
                          "confusion_matrix(...)")
        if matrix.shape != expected.shape:
            fail(f"the shape with num_classes={num_classes}", should=expected.shape, got=matrix.shape,
                 hint="pass num_classes=num_classes to tf.math.confusion_matrix.")
        if not np.issubdtype(matrix.dtype, np.integer):
            fail("the matrix's dtype", should="integer counts", got=matrix.dtype.name,
                 hint="tf.math.confusion_matrix(..., dtype=tf.int32).")
        if not np.array_equal(matrix, expected):
            transposed = np.array_equal(matrix, expected.T)
            fail("the confusion matrix of the grader's model",
                 should=f"NumPy's counts (diagonal {short(np.diag(expected))})",
                 got="its transpose" if transposed else f"diagonal {short(np.diag(matrix))}",
                 hint="rows are the true labels: tf.math.confusion_matrix(labels, predictions)."
                 if transposed else "predict in inference mode and take np.argmax(..., axis=1).")
