"""What to look at first when a learner's function raises or runs too long: hints per exercise.

A check that fails gives its own, targeted hint (`fail(..., hint=...)`). When the learner's code
raises instead, the grader knows the error and the call, not the mistake, so the hint restates the
exercise's contract (the shapes and dtypes it receives and returns) and the usual slip. It is
picked by the learner's functions the error passed through, innermost first, so that an error in
DenseLayer met while grading build_model gets DenseLayer's hint; failing that, the exercise's.

A check that runs past its budget (budgets.py) gets the exercise's timeout hint: what usually makes
that exercise's code run far longer than it should (an endless loop, a Python loop over a tensor's
elements, training where none belongs, more training than asked).
"""

ERROR_HINTS = {
    1: {
        "standardize": "x can have any rank and `axis` is any of its axes: reduce along `axis` "
        "with keepdims=True, so that the mean and the standard deviation broadcast back to x's shape.",
        "cubic_gradients": "x is a scalar tf.Variable, c a scalar constant: record y = c * x**3 "
        "inside the tape's `with` block (after tape.watch(c)), and ask the tape for both "
        "gradients in one call, after the block, with the list [x, c] as its sources.",
        "second_derivative": "x is a float32 tensor of any shape: both tapes watch x, and the "
        "inner tape's gradient call sits inside the outer tape's block, so that the outer tape "
        "records it.",
        "LinearModel": "__init__ creates two float32 scalar variables, self.w and self.b, with "
        "tf.Variable(0.0, dtype=tf.float32); __call__ computes w * x + b for x of shape (n,).",
        "fit_linear": "x and y are float32 tensors of shape (n,): the loss is one float32 "
        "scalar, computed inside the tape's block from model(x) and y, and apply_gradients "
        "takes (gradient, variable) pairs, zip(grads, model.trainable_variables).",
        "make_scaled_row_norms": "the function you return receives x, float32 of shape (batch, 3), "
        "and a float32 scalar scale; its input_signature lists one tf.TensorSpec per argument, and "
        "tf.norm(x, axis=1) has shape (batch,).",
        "make_collatz_steps": "n is an int32 scalar tensor: keep every value int32 (n // 2, "
        "3 * n + 1, and a step counter that starts as tf.constant(0)), so that both branches "
        "give tensors of one dtype.",
        "DenseLayer": "inputs are (batch, input_dim): the kernel is (input_dim, units), i.e. "
        "(input_shape[-1], self.units), the bias (units,), and tf.matmul(inputs, self.kernel) "
        "gives (batch, units).",
        "build_model": "the model takes float32 (batch, input_dim) and returns (batch, 1): "
        "a tf.keras.Input of shape (input_dim,), each DenseLayer called on the previous tensor, "
        "then a tf.keras.Model from the input to the last output.",
        "train_model": "x is float32 (n, input_dim), y float32 (n, 1): compile with an Adam "
        "optimizer and loss=\"mse\", then fit on x and y with the epochs given, batch_size=32 "
        "and verbose=0.",
        "make_checkpoint_manager": "tf.train.Checkpoint takes the objects it tracks as keyword "
        "arguments (model=..., optimizer=...); a tf.train.CheckpointManager of that checkpoint, "
        "the directory and max_to_keep saves it.",
        "restore_latest": "manager.latest_checkpoint is a path or None; restore it through "
        "manager.checkpoint (its restore method takes the path) only when it is not None.",
    },
    2: {
        "preprocess": "images are float64 (N, height, width), values 0-16, labels integers (N,): "
        "return float32 images / 16 of shape (N, height, width, 1) and int64 labels.",
        "make_dataset": "images are float32 (N, 8, 8, 1), labels int64 (N,): "
        "tf.data.Dataset.from_tensor_slices((images, labels)) pairs them; shuffle (when "
        "training), then .batch(batch_size), then .prefetch(tf.data.AUTOTUNE).",
        "make_augmentation": "return a tf.keras.Sequential of Keras's random layers; it receives "
        "float32 batches (batch, 8, 8, 1) and must return the same shape.",
        "build_cnn": "start from tf.keras.Input(shape=input_shape): Conv2D wants 4-D batches "
        "(batch, height, width, channels); Flatten before the first Dense; the last "
        "Dense(num_classes) has no activation.",
        "compile_and_train": "the datasets yield (float32 (batch, 8, 8, 1), int64 (batch,)): "
        "integer labels need SparseCategoricalCrossentropy(from_logits=True); fit on train_ds "
        "with val_ds as validation_data, the epochs given and verbose=0.",
        "make_train_step": "train_step receives images float32 (batch, 8, 8, 1) and labels int64 "
        "(batch,); loss_fn takes (labels, logits) in that order, and apply_gradients takes "
        "zip(gradients, model.trainable_variables).",
        "evaluate_accuracy": "model.predict(images) returns logits of shape (N, num_classes): "
        "an arg max over axis 1 gives one label per image, shape (N,), like `labels`.",
        "confusion_matrix": "an arg max over axis 1 of the logits gives predictions of shape "
        "(N,), like `labels`; tf.math.confusion_matrix counts (labels, predictions) pairs, "
        "labels first, with num_classes and an integer dtype.",
    },
    3: {
        "load_frozen_base": "pretrained.load_base() is the whole 0-4 network; "
        "tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output) maps "
        "(batch, 8, 8, 1) to (batch, 1024).",
        "build_transfer_model": "the base maps float32 (batch, 8, 8, 1) to (batch, features): "
        "call it on tf.keras.Input(shape=(8, 8, 1)) with training=False, put the head on its "
        "output, and return tf.keras.Model(inputs, outputs).",
        "train_head": "images are float32 (N, 8, 8, 1), labels integers (N,) in 0..num_classes-1: "
        "compile with Adam(learning_rate) and SparseCategoricalCrossentropy(from_logits=True), "
        "then fit with the epochs and batch_size given.",
        "fine_tune": "base.layers is a list of layers: set trainable on the layers themselves "
        "(base.layers[len(base.layers) - num_layers:]), keep BatchNormalization frozen, and "
        "compile `model` again; do not fit here.",
        "extract_features": "base(images, training=False) maps float32 (N, 8, 8, 1) to "
        "(N, feature_dim); return it as a float32 NumPy array.",
        "fit_linear_classifier": "features are float32 (N, feature_dim), labels integers (N,): "
        "a LogisticRegression's fit method takes them both and returns the fitted classifier.",
        "build_mobilenet_transfer": "MobileNetV2(include_top=False, ...) takes (batch, height, "
        "width, 3) and returns (batch, h, w, 1280) feature maps: pool them to (batch, 1280) "
        "before the Dense head.",
    },
}


TIMEOUT_HINTS = {  # each reads after "the usual cause is "
    1: {
        "standardize": "a Python loop over the tensor's elements, or a `while` whose condition "
        "never changes: tf.reduce_mean and tf.math.reduce_std along `axis` work on the whole "
        "tensor at once, with no loop at all.",
        "cubic_gradients": "a loop around the tape: one `with tf.GradientTape()` block, one y, "
        "one tape.gradient call, no loop.",
        "second_derivative": "a loop: two nested tapes and two tape.gradient calls are all it "
        "takes, and f is called once.",
        "LinearModel": "work beyond creating two variables (a loop or training in __init__): "
        "__call__ computes w * x + b and nothing else.",
        "fit_linear": "a loop that never ends (a `while` whose condition never changes): one "
        "gradient step per epoch, `for epoch in range(epochs):`.",
        "make_scaled_row_norms": "a Python loop over the rows of x: tf.norm(x, axis=1) computes "
        "every row's norm at once.",
        "make_collatz_steps": "a `while` loop whose condition never changes: n must take its new "
        "value in every iteration (n = n // 2 or n = 3 * n + 1), and the loop runs while n > 1.",
        "DenseLayer": "a loop over the batch or the units: one tf.matmul(inputs, self.kernel) "
        "computes every output at once.",
        "build_model": "training or a loop in build_model: it only connects the layers (Input, "
        "two DenseLayers, Model); train_model trains.",
        "train_model": "more training than asked: one model.fit(x, y, epochs=epochs, "
        "batch_size=32), no loop around it (batch_size=1 is 32 times slower).",
        "make_checkpoint_manager": "a loop that saves or waits: make_checkpoint_manager only "
        "creates the Checkpoint and its CheckpointManager; the check saves.",
        "restore_latest": "a loop that waits for a checkpoint: restore manager.latest_checkpoint "
        "once, or return None when there is none.",
    },
    2: {
        "preprocess": "a Python loop over the images or their pixels: images / 16 and a reshape "
        "(or images[..., None]) work on all N images at once.",
        "make_dataset": "a dataset that never ends: .repeat() makes every epoch endless. "
        "from_tensor_slices, shuffle (when training), batch, prefetch, and no repeat().",
        "make_augmentation": "a loop over images or training in make_augmentation: return the "
        "Sequential of random layers; it transforms whole batches when called.",
        "build_cnn": "training in build_cnn (fit belongs in compile_and_train), or a network far "
        "larger than the parameter budget allows.",
        "compile_and_train": "more training than asked: one model.fit with epochs=epochs on the "
        "datasets given, no .repeat() and no steps_per_epoch, no loop around fit; and a network "
        "within the parameter budget.",
        "make_train_step": "a loop inside train_step: one step is one forward pass, one "
        "tape.gradient and one apply_gradients; the check calls it again and again.",
        "evaluate_accuracy": "predicting image by image in a Python loop: model.predict(images) "
        "scores all N images in one call.",
        "confusion_matrix": "a Python loop over the images (or the model called inside a loop "
        "over classes): predict once, then tf.math.confusion_matrix.",
    },
    3: {
        "load_frozen_base": "training or a loop in load_frozen_base: load the network once "
        "(pretrained.load_base()), cut it at the feature layer, freeze it; no fit.",
        "build_transfer_model": "training or calling the model on data in build_transfer_model: "
        "it only connects the base and the head; train_head trains.",
        "train_head": "more training than asked: one model.fit with the epochs and batch_size "
        "given, on the images given, no loop around it.",
        "fine_tune": "training in fine_tune: it only unfreezes layers and compiles again; the "
        "check trains.",
        "extract_features": "calling the base image by image in a Python loop: "
        "base(images, training=False) maps all N images in one call.",
        "fit_linear_classifier": "a classifier that takes long to converge, or a search over its "
        "settings: one LogisticRegression, fitted once on the features and labels given (its "
        "defaults converge here in about 40 iterations).",
        "build_mobilenet_transfer": "a larger network than asked, or training: MobileNetV2 at the "
        "input_shape given, with the weights argument passed on (the check passes None: nothing "
        "is downloaded while grading); no fit.",
    },
}


def first_hint(table, part, names):
    """The hint in `table` of the first of `names` (learner functions, innermost first, then the
    exercise) that has one, or None."""
    hints = table.get(part, {})
    return next((hints[name] for name in names if name in hints), None)


def error_hint(part, names):
    return first_hint(ERROR_HINTS, part, names)


def timeout_message(part, names, seconds, where=""):
    """"timed out after 15 s while running this check (line 12 of your file: while n > 1:).
    Hint: ...": `names` as for error_hint, `where` the learner's line it was running, if known."""
    hint = first_hint(TIMEOUT_HINTS, part, names)
    return (f"timed out after {seconds:g} s while running this check{where}."
            + (f" Hint: the usual cause is {hint}" if hint else ""))
