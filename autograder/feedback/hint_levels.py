"""Hints in levels, as learntools gives them: what `make hint EX=<exercise>` shows after a failure.

    level 1  the failure's own message: what should be, what came, the hint (the grader's table)
    level 2  the cause: read from the learner's latest result for the exercise (results.json):
             a cause this exercise is known for, else the catalogue's explanation of the
             TensorFlow error it raised (known_errors.py), else the exercise's usual causes
    level 3  the approach: the steps in words, never code that answers

Texts only, one entry per exercise of every part (a test keeps them in step with the exercises,
and runs the leak finder, handout/leaks.py, on every text: no statement of a solution). Words
outcomes, never imports TensorFlow; may import feedback/ and nothing else of the repository.
"""

import dataclasses
import re

from autograder.feedback import known_errors


@dataclasses.dataclass(frozen=True)
class Levels:
    cause: str  # level 2 when nothing more specific applies: the exercise's usual causes
    approach: str  # level 3
    causes: tuple = ()  # (pattern searched in a failing message, the cause it shows), in order
    checks: tuple = ()  # checks of another exercise that grade this one too (their results count)


SILENT_FIT = (r"fit's verbose", "Keras's fit prints a progress bar per epoch unless it is told verbose=0, "
              "and the exercise asks for a silent run: the bars (with their escape codes) fill "
              "the grader's output file and, in a notebook, the test cells. Pass verbose=0 to "
              "fit; nothing else changes.")
OPTIMIZER_TRACES = ("the first batch traced twice: a fresh optimizer creates its variables (Adam's "
                    "moments) the first time it applies gradients, inside the first trace, and "
                    "TensorFlow traces again once variables exist. Build the optimizer on the "
                    "model's trainable variables before you define the step.")
BATCH_TRACES = ("the batch of 29 traced a graph of its own: without an input_signature, "
                "tf.function makes one graph per input shape. One tf.TensorSpec per argument, "
                "with None as the batch dimension, makes one graph serve every batch size.")

LEVELS = {
    1: {
        "standardize": Levels(
            "the usual slips: reducing over every axis (no axis given) or over another one, losing "
            "the reduced axis so that the statistics no longer line up with x (keepdims), or going "
            "through NumPy. Only `axis` is reduced: every other position keeps its own mean.",
            "compute two statistics of x along `axis`, each keeping that axis with length 1: the "
            "mean and the standard deviation (the population one, NumPy's default). Subtract the "
            "first from x and divide by the second; broadcasting stretches both back along `axis`."),
        "cubic_gradients": Levels(
            "a gradient of None means the tape saw no path from that source to y: a constant is "
            "watched only when you ask, and what runs outside the `with` block is not recorded. "
            "A wrong value usually means y is not c * x**3, or the gradients came back in another "
            "order than x, c.",
            "open one tape. Inside its block, first have it watch the constant c (x, a variable, "
            "is watched already), then compute y from x and c. After the block, ask the tape once "
            "for the gradients of y with respect to x and c together, and return them in that "
            "order.",
            causes=((r"got None", "the argument c is a tf.constant, and a tape records the operations on "
                     "constants only when it watches them: tell the tape to watch c inside its "
                     "block, before y is computed. Variables such as x are watched by themselves."),)),
        "second_derivative": Levels(
            "a second derivative needs the outer tape to record the first: when the inner gradient "
            "is taken after the outer block has closed, the outer tape saw nothing and gives None "
            "(or zeros). Both tapes must watch x, which is a constant.",
            "nest two tapes, the outer around the inner, each watching x. Inside the inner block "
            "compute f(x). Still inside the outer block, after the inner one, ask the inner tape "
            "for df/dx. After the outer block, ask the outer tape for the gradient of that df/dx "
            "with respect to x."),
        "LinearModel": Levels(
            "a tf.Module finds its variables by looking at its attributes: Python floats and constant "
            "tensors are not variables, so trainable_variables comes out empty and nothing can "
            "train. Each of w and b must be a float32 scalar tf.Variable that starts at 0.",
            "in __init__, after the call to the parent's __init__, store two attributes, w and b, "
            "each a scalar tf.Variable holding 0.0 with dtype float32. __call__ is written for you."),
        "fit_linear": Levels(
            "gradient descent goes wrong in three places: the loss computed outside the tape's "
            "block (every gradient None), gradients taken with respect to something else than "
            "model.trainable_variables, or an update written by hand (adding the gradient climbs "
            "instead of descending). The check fits two lines, 50 epochs at learning rate 0.1.",
            "repeat `epochs` times: open a tape; inside it, predict with the model and compute the "
            "mean of the squared differences to y; after the block, ask the tape for the gradients "
            "of that loss with respect to the model's trainable variables, and give the optimizer "
            "(gradient, variable) pairs. Return the model."),
        "make_scaled_row_norms": Levels(
            "a tf.function traces again for every new shape, dtype or Python number: without an "
            "input_signature, batch sizes 1, 7 and 32 make three graphs, and a Python float scale "
            "one per value. A signature has one spec per argument, and each spec's shape must allow "
            "every call (None for the batch).",
            "inside make_scaled_row_norms, define a function of x and scale that returns scale "
            "times the Euclidean norm of each row of x (a norm over axis 1). Decorate it with "
            "tf.function and an input_signature of two specs: x float32 of shape [None, 3], scale "
            "a float32 scalar (shape []). Return the decorated function.",
            causes=((r"the number of traces", "a graph is traced for each new input shape and "
                     "each new Python value: the batch sizes 1, 7 and 32 and the Python floats "
                     "0.5, 1.0 and 2.0 each count. An input_signature turns every argument into a "
                     "tensor of the spec's dtype and shape, so a spec of shape [None, 3] and a "
                     "float32 scalar spec make one graph serve all the calls."),)),
        "make_collatz_steps": Levels(
            "AutoGraph turns a Python `while` and `if` into graph ops only when their conditions "
            "are tensors: a condition on a Python value is decided once while tracing, a loop over "
            "a Python range is unrolled, and .numpy() has no value to give inside a graph. Both "
            "branches must leave n with one dtype, int32.",
            "decorate an inner function of n with tf.function (an int32 scalar signature helps). "
            "Start a step counter as an int32 tensor at 0. Loop while n is greater than 1: if n is "
            "even, halve it with integer division, else triple it and add one; then add one to the "
            "counter. Return the counter."),
        "DenseLayer": Levels(
            "Keras 3 calls build once, with the input's shape, before the first call: the kernel "
            "must be (the input's last size, units) and the bias (units,), both made with "
            "add_weight and keyword arguments only. In call, the matrix product comes first, then "
            "the bias, then the activation.",
            "in build, read the input's last size and create two weights with self.add_weight: a "
            "kernel of shape (that size, self.units) initialised with glorot_uniform, and a bias of "
            "shape (self.units,) initialised with zeros, each named. In call, multiply the inputs "
            "by the kernel (a matrix product), add the bias, and apply self.activation to the sum."),
        "build_model": Levels(
            "the functional API connects tensors: each layer is called on the tensor the previous "
            "one gave, starting from a tf.keras.Input, and the Model is made from the input tensor "
            "and the last output. The check wants your DenseLayer for both layers, relu on the "
            "hidden one and no activation on the output.",
            "make an input tensor of shape (input_dim,). Call a DenseLayer of hidden_units units "
            "with the relu activation on it, then a DenseLayer of one unit, no activation, on the "
            "result. Make a tf.keras.Model from the input tensor to that last output."),
        "train_model": Levels(
            "compile decides how fit trains: Adam at learning rate 0.01 (its default rate is too "
            "slow for the check's 10 epochs) and the mean squared error, a regression's loss. fit "
            "then needs x, y, the epochs given, batches of 32 and a silent run, and returns the "
            "History the check reads.",
            "compile the model with an Adam optimizer made with learning rate 0.01 and the mean "
            "squared error as its loss. Fit it on x and y with the epochs argument, batch size 32 "
            "and verbose=0, and return what fit returns.",
            causes=(SILENT_FIT,)),
        "make_checkpoint_manager": Levels(
            "a Checkpoint saves only the objects it is given, by keyword: without the model, the "
            "BatchNormalization statistics are lost (the optimizer knows the trainable weights "
            "only); without the optimizer, its step counter and moments. The manager needs the "
            "checkpoint, the directory and max_to_keep, or it keeps every save.",
            "make a tf.train.Checkpoint that tracks the model and the optimizer, one keyword "
            "argument each. Make a tf.train.CheckpointManager of that checkpoint, in the directory "
            "given, keeping max_to_keep checkpoints. Return the manager.",
            causes=((r"non-trainable weights", "the model's BatchNormalization statistics were not "
                     "restored: only a Checkpoint that tracks the model itself saves them, so give "
                     "the Checkpoint the model, by keyword, beside the optimizer."),
                    (r"optimizer\.iterations", "the optimizer's step counter was not restored: the "
                     "Checkpoint must track the optimizer too, by keyword, beside the model."),
                    (r"nothing was restored|the older save", "the check of your checkpoints also "
                     "runs restore_latest, and that is where this failure comes from: "
                     "`make hint EX=restore_latest` explains it."))),
        "restore_latest": Levels(
            "the manager's latest_checkpoint is only a path: nothing in the model changes until the "
            "checkpoint restores it, through the Checkpoint the manager tracks, manager.checkpoint. "
            "With no save yet the path is None and there is nothing to restore.",
            "read the manager's latest checkpoint path. If it is not None, ask the manager's "
            "checkpoint to restore from that path. Return the path (None when there was none).",
            causes=((r"nothing was restored", "your restore_latest finds the path and returns it, "
                     "but the weights are still those written after the save: a path is only a "
                     "name. Ask manager.checkpoint, the Checkpoint that tracks the model and the "
                     "optimizer, to restore from it."),),
            checks=("checkpoint_restores_latest",)),
    },
    2: {
        "preprocess": Levels(
            "three things are checked: the dtype (float32, what Keras computes in), the scale "
            "(pixel / 16: the digits run 0-16, not 0-255, and not up to a batch's own maximum) "
            "and the shape (a trailing channel axis of size 1); the labels come back as int64 with "
            "the same values.",
            "convert the images to float32, divide them by 16 and add a trailing axis of length 1. "
            "Convert the labels to int64 without changing their values. Return both, images first."),
        "make_dataset": Levels(
            "order matters in a tf.data pipeline: shuffle before batching (else whole batches move "
            "together), with a buffer as large as the data (else the shuffle is only local), a new "
            "order every epoch, and only when training; keep the last, smaller batch; prefetch "
            "last.",
            "make a dataset of (image, label) pairs from the two arrays. When training, shuffle it "
            "with a buffer of all N examples, the seed given and a new order each epoch. Batch it "
            "by batch_size, keeping the remainder, then prefetch with tf.data.AUTOTUNE."),
        "make_augmentation": Levels(
            "augmentation must keep each digit's label and act only when training: Keras's random "
            "layers (translation, rotation, zoom) do both, a flip turns digits into other symbols, "
            "and large ranges destroy them (on 8x8 images a factor of 0.1 is almost a pixel).",
            "return a tf.keras.Sequential of two or three of Keras's random preprocessing layers "
            "with small ranges, such as a translation of about a tenth of the image and a rotation "
            "of a few degrees, filling new pixels with zeros. No flips."),
        "build_cnn": Levels(
            "the grader scores a plain Keras model (functional or Sequential, Keras's own layers) "
            "that takes input_shape and gives num_classes logits (no softmax), with at most "
            "200,000 parameters. Most parameters sit in the first Dense layer after Flatten: "
            "pooling before it keeps the count down.",
            "start from an Input of input_shape. Two 3x3 convolutions (32 then 64 filters, relu, "
            "same padding), a 2x2 max pooling, a dropout, Flatten, a Dense layer of 128 units with "
            "relu, another dropout, and a last Dense layer of num_classes units without "
            "activation. Make a Model from the input to those logits."),
        "compile_and_train": Levels(
            "the loss must read logits and integer labels (the sparse cross-entropy, "
            "from_logits=True); the History must hold the accuracy and the validation values of "
            "every epoch (the accuracy metric, validation_data); fit must use the datasets and "
            "the epochs given, silently.",
            "compile with an Adam optimizer, the sparse categorical cross-entropy made with "
            "from_logits=True, and the accuracy metric. Fit on train_ds for the epochs given, with "
            "val_ds as validation data, verbose=0 and shuffle=False (the dataset shuffles itself). "
            "Return the History.",
            causes=(SILENT_FIT,)),
        "make_train_step": Levels(
            "the step must trace once: an input_signature with batch dimension None serves every "
            "batch size, and a fresh optimizer must be built before the first trace. Inside, the "
            "forward pass runs under the tape with training=True, and the loss is "
            "loss_fn(labels, logits), labels first.",
            "if the optimizer is not built, build it on the model's trainable variables. Define an "
            "inner function of images and labels, decorated with tf.function and two specs: images "
            "float32 with batch dimension None and the model's input shape, labels int64 with "
            "shape [None]. In it: under a tape, call the model on the images with training=True "
            "and compute the loss; after the block, take the gradients with respect to the "
            "trainable variables, apply them, and return the loss.",
            causes=((r"count after each batch: 2, 2, 3",
                     f"two causes, both to fix. First, {OPTIMIZER_TRACES} Second, {BATCH_TRACES}"),
                    (r"count after each batch: 2", OPTIMIZER_TRACES),
                    (r"count after each batch: 1, 1, 2", BATCH_TRACES))),
        "evaluate_accuracy": Levels(
            "accuracy is measured in inference mode (dropout off: model.predict, or the model "
            "called with training=False), with one predicted label per image (the arg max over the "
            "classes, axis 1), compared with the labels, and returned as a Python float.",
            "predict logits for all the images in inference mode; take the index of the largest "
            "logit in each row; compare those with the labels; return the mean of the matches as "
            "a float."),
        "confusion_matrix": Levels(
            "rows are the true labels and columns the predictions, so the labels go first; the "
            "matrix is num_classes x num_classes whichever labels appear, and holds integer counts.",
            "predict logits in inference mode and take each row's arg max as its predicted label. "
            "Count the (true label, predicted label) pairs with tf.math.confusion_matrix, labels "
            "first, with num_classes and an int32 dtype, and return the counts as a NumPy array."),
    },
    3: {
        "load_frozen_base": Levels(
            "the base must be the pretrained network itself, cut at its \"flatten\" layer (1,024 "
            "features; the later \"hidden\" layer only knows 0-4), frozen as a whole model (its "
            "own trainable flag False), with its weights untouched.",
            "load the whole network with pretrained.load_base(). Make a new model from its input "
            "to the output of its layer named pretrained.FEATURE_LAYER. Set that model's trainable "
            "flag to False and return it."),
        "build_transfer_model": Levels(
            "only the new head may train, so the base is frozen before the model is built; the "
            "model is functional, takes (8, 8, 1) images, calls the base once with training=False, "
            "and ends in a Dense head of num_classes logits (no activation).",
            "freeze the base. Make an Input of shape (8, 8, 1), call the base on it with "
            "training=False, put a Dropout of 0.2 and a Dense layer of num_classes units on the "
            "features, and make a Model from the input to those logits."),
        "train_head": Levels(
            "compile inside train_head every time (the model may arrive uncompiled, and compiling "
            "fixes which weights train) with Adam at the learning rate given, the sparse "
            "cross-entropy on logits and the accuracy metric; fit with the epochs and batch size "
            "given, silently, and return the History.",
            "compile with Adam made with learning_rate, the sparse categorical cross-entropy with "
            "from_logits=True and the accuracy metric. Fit on the images and labels with the "
            "epochs and batch_size given and verbose=0. Return the History.",
            causes=(SILENT_FIT,)),
        "fine_tune": Levels(
            "three rules: unfreeze only the last num_layers of base.layers (a slice [:-0] is "
            "empty), keep every BatchNormalization layer frozen, and compile again (else the next "
            "fit keeps the old list of trainable weights) with Adam at a tenth of the head's "
            "learning rate.",
            "set the base trainable. Then freeze every layer of the base that comes before its "
            "last num_layers, and every BatchNormalization layer wherever it is. Compile the model "
            "again as train_head does, but with Adam at a tenth of head_learning_rate."),
        "extract_features": Levels(
            "the features come from the base in inference mode (training=False: BatchNormalization "
            "then uses its moving statistics, not the batch's) and are returned as a float32 NumPy "
            "array, not a tensor.",
            "call the base on the images with training=False, convert its output to a NumPy array "
            "of dtype float32, and return that."),
        "fit_linear_classifier": Levels(
            "the classifier is fitted on the features and labels given (labels 0-4, not the digits "
            "5-9), as a multi-class logistic regression, and returned fitted.",
            "create a scikit-learn LogisticRegression with its default settings, fit it on the "
            "features and the labels, and return it."),
        "build_mobilenet_transfer": Levels(
            "MobileNetV2 stays one nested, frozen model called once with training=False; the "
            "pixels are scaled from [0, 255] to [-1, 1] inside the model (a Rescaling layer); the "
            "(batch, h, w, 1280) feature maps are averaged to (batch, 1280) before the Dense head, "
            "which gives num_classes logits.",
            "create MobileNetV2 without its top, with the weights and the input_shape given, and "
            "freeze it. From an Input of input_shape: a Rescaling by 1 / 127.5 with offset -1, the "
            "base called with training=False, a global average pooling, a Dropout of 0.2 and a "
            "Dense head of num_classes units. Make the Model from the input to the head."),
    },
}

LAST = 3  # the number of levels


def exercise_results(results, part, exercise):
    """The results of `exercise` in `results` (results.json's tests: its own checks' and those of
    other exercises that grade it too)."""
    also = LEVELS[part][exercise].checks
    return [r for r in results if r.get("part") == part
            and (r.get("exercise") == exercise or r.get("check") in also)]


def cause(part, exercise, results):
    """Level 2 for `exercise`: (the text, the check it is about, or None). `results` are its latest
    results (dicts with check, status and message, as results.json's extra_data holds them)."""
    levels = LEVELS[part][exercise]
    failing = [r for r in results if r.get("status") in ("failed", "error")]
    for result in failing:
        message = result.get("message", "")
        for pattern, text in levels.causes:
            if re.search(pattern, message):
                return text, result.get("check")
        known = known_errors.for_message(message)
        if known is not None:
            return known.more, result.get("check")
    return levels.cause, (failing[0].get("check") if failing else None)


def approach(part, exercise):
    """Level 3 for `exercise`: the steps in words."""
    return LEVELS[part][exercise].approach
