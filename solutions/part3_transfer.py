"""Part 3 - Transfer learning: reuse a network trained on digits 0-4 to learn digits 5-9.

You will load a small CNN that was trained only on the digits 0-4, freeze it, put a new head on
it and train that head on 10 labelled examples of each of the digits 5-9. Then you will
fine-tune the base's top convolution, use the frozen base as a feature extractor for a
scikit-learn classifier, and apply the same recipe to MobileNetV2, a real ImageNet architecture.

Result: training the head for 10 epochs on 50 images (about 2.5 s on one CPU core) gives a
median accuracy of 0.911 on the 180 held-out test images of 5-9 (0.861-0.933 over 20 seeds);
the same head on a frozen, untrained base reaches a median of 0.378 (best seed 0.544), and a
logistic regression on the frozen base's features 0.958.
"""

# %% [markdown]
# # Part 3 - Transfer learning
#
# A network trained on one task has learned features (edges, strokes, loops) that are useful for
# a related task. Transfer learning keeps those features and trains only a small new part on the
# new task, which needs far fewer labelled examples than training from scratch.
#
# ## Setup
#
# As in Part 2: hide TensorFlow's start-up messages and its "retracing" warnings, which go to
# stderr (in the course's notebooks, a test cell that writes to stderr scores zero). This part
# builds many small models, each with its own `predict` function.

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import sklearn.linear_model
import tensorflow as tf

tf.get_logger().setLevel("ERROR")

from coursekit import pretrained

# %% [markdown]
# ## Prepare the data
#
# The base network saw the training images of 0-4 only. Our new task is 5-9, relabelled 0-4
# (label 0 means the digit 5). We pretend labels are expensive: the head will see only
# `PER_CLASS` examples of each digit, drawn from the training split. The test split stays
# untouched for evaluation. `pretrained.load_classes` returns images as float32, shape
# (N, 8, 8, 1), values in [0, 1].

# %%
PER_CLASS = 10
(target_train_images, target_train_labels), (target_test_images, target_test_labels) = (
    pretrained.load_classes(pretrained.TARGET_CLASSES)
)
few_images, few_labels = pretrained.sample_per_class(
    target_train_images, target_train_labels, PER_CLASS, seed=0
)
print(few_images.shape, target_test_images.shape)  # (50, 8, 8, 1) (180, 8, 8, 1)

# %% [markdown]
# ## The pretrained base
#
# `pretrained.load_base()` returns the whole 0-4 network: conv1, bn1, relu1, conv2, bn2, relu2,
# pool, flatten, hidden, dropout, logits. Its last layers are specific to 0-4: the `logits`
# layer has one unit per old class, and the `hidden` layer has learned to throw away everything
# that does not separate 0-4. Cut at `flatten` instead (1,024 values per image): a head on the
# `hidden` output reaches a median of only 0.29 on 5-9.
#
# Freezing (`trainable = False`) keeps the head's training from changing the base's weights.

# %%
def load_frozen_base():
    """Load the pretrained digits 0-4 network and cut it at its "flatten" layer, frozen.

    Returns:
        base: tf.keras.Model with `base.trainable == False` and no trainable weights.
            Input: float32 tensor, shape (batch, 8, 8, 1), values in [0, 1].
            Output: float32 tensor, shape (batch, 1024), the output of the layer "flatten".
    """
    # TODO: load the pretrained network, keep it from its input up to the layer named
    #   `pretrained.FEATURE_LAYER` ("flatten") as a new tf.keras.Model, and freeze it.
    # Put that model in `base`.
    # Rule: do not train or rebuild anything here; the weights must be the pretrained ones.
    # Hint: tf.keras.Model(full.input, full.get_layer(name).output) (input, not inputs:
    #   a list of one input makes Keras warn on every call with a single array).
    # About 3 lines.
    ### BEGIN SOLUTION
    full = pretrained.load_base()
    base = tf.keras.Model(full.input, full.get_layer(pretrained.FEATURE_LAYER).output, name="base")
    base.trainable = False
    ### END SOLUTION
    return base


# %% [markdown]
# ## A new head
#
# The new model calls the base with `training=False`. That matters for BatchNormalization:
# in training mode it normalises with the statistics of the current batch (10 images of new
# digits) and updates its moving averages, wiping out what the base learned. Pitfall pair:
# `base(inputs)` follows the `training` flag of `fit`, while `base(inputs, training=False)`
# states that the base runs in inference mode. Measured with Keras 3.15, though, the
# `training=True` that `fit` passes can still reach a nested call, so what actually protects
# BatchNormalization is keeping its layers frozen: a frozen BatchNormalization layer always
# normalises with its moving averages. Do both (the grader checks both).

# %%
def build_transfer_model(base, num_classes=5):
    """Freeze the base and put a new, trainable classification head on it.

    Args:
        base: tf.keras.Model, input (batch, 8, 8, 1) float32, output (batch, features) float32,
            frozen or not: this function freezes it.
        num_classes: int, number of new classes.
    Returns:
        model: a functional tf.keras.Model (the grader reads from its graph how it calls the
            base: no subclass), input float32 (batch, 8, 8, 1) in [0, 1], output float32 logits
            (batch, num_classes). Only the head's weights are trainable.
    """
    # TODO: build a functional model: an Input of shape (8, 8, 1), the base called with
    #   training=False, then Dropout(0.2) and a Dense layer with num_classes units (no softmax).
    # Put it in `model`.
    # Rule: the base stays frozen (base.trainable = False); only the head learns.
    # Hint: features = base(inputs, training=False).
    # About 6 lines.
    ### BEGIN SOLUTION
    base.trainable = False
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    features = base(inputs, training=False)
    x = tf.keras.layers.Dropout(0.2, name="head_dropout")(features)
    outputs = tf.keras.layers.Dense(num_classes, name="head")(x)
    model = tf.keras.Model(inputs, outputs, name="transfer")
    ### END SOLUTION
    return model


# %% [markdown]
# ## Train the head
#
# With 1,024 features and 5 classes the head has 5,125 weights: few enough to learn from 50
# images. Compile after building or after any change of `trainable`: Keras fixes the list of
# weights to update when it compiles. A pitfall, in a pair: set `trainable = False` on a layer of
# a model that was already compiled and fitted, fit again, and the layer still moves; set it,
# compile, then fit, and it stays put.

# %%
def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    """Compile the model and fit it on a few labelled examples.

    Args:
        model: tf.keras.Model returning logits, shape (batch, num_classes).
        images: float32 array, shape (N, 8, 8, 1), values in [0, 1].
        labels: int array, shape (N,), values 0..num_classes-1.
        epochs: int, passes over the data.
        learning_rate: float, Adam's learning rate.
        batch_size: int.
    Returns:
        history: tf.keras.callbacks.History of the fit, with "loss" and "accuracy" per epoch.
    """
    # TODO: compile the model with Adam(learning_rate), SparseCategoricalCrossentropy with
    #   from_logits=True and the "accuracy" metric, then fit it (verbose=0).
    # Put what fit returns in `history`.
    # Rule: compile inside this function, every time: the model may arrive uncompiled.
    # Hint: model.fit(images, labels, epochs=epochs, batch_size=batch_size, verbose=0).
    # About 6 lines.
    ### BEGIN SOLUTION
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size, verbose=0)
    ### END SOLUTION
    return history


# %% [markdown]
# How much does the pretrained base buy? Mean test accuracy on 5-9 over 5 seeds, batch 16: the
# head on the frozen base ("transfer") against the same network trained whole from random
# weights ("scratch").
#
# | images per class        | 1    | 2    | 5    | 10   | 20   | all (~143) |
# |-------------------------|------|------|------|------|------|------------|
# | transfer, 10 epochs     | 0.50 | 0.67 | 0.86 | 0.92 | 0.96 | 0.99       |
# | scratch, 10 epochs      | 0.52 | 0.64 | 0.70 | 0.78 | 0.82 | 0.99       |
# | scratch, BN 0.9, 10 ep. | 0.43 | 0.51 | 0.75 | 0.91 | 0.96 | 1.00       |
# | transfer, 30 epochs     | 0.72 | 0.86 | 0.91 | 0.95 | 0.97 | 1.00       |
# | scratch, 30 epochs      | 0.66 | 0.74 | 0.79 | 0.81 | 0.91 | 0.99       |
# | scratch, BN 0.9, 30 ep. | 0.65 | 0.79 | 0.92 | 0.94 | 0.96 | 0.99       |

#
# Transfer wins clearly when labels are scarce and training is short (2-5 images per class).
# With 10 or more per class, a scratch network catches up, but only with BatchNormalization's
# momentum lowered from Keras' 0.99 to 0.9 ("BN 0.9"): at 0.99 its moving averages are still
# near their starting values after a few dozen steps, so the network evaluated is not the one
# trained. 8x8 digits are an easy task; with photographs and an ImageNet base the gap is
# usually far wider.

# %% [markdown]
# ## Fine-tune
#
# Once the head has learned, unfreeze the base's top layers and train on at a learning rate ten
# times smaller, so that the large early gradients of a random head cannot wreck the pretrained
# weights. Keep BatchNormalization frozen: its gamma and beta stay put and, called with
# `training=False`, its moving statistics too. In Keras 3, `base.trainable = True` unfreezes
# every layer inside the base; freeze the rest afterwards, layer by layer. On these digits
# fine-tuning conv2 for 10 epochs does no better than 10 more epochs of the head alone (median
# -0.008 over 20 seeds): the two tasks are close. It pays when the new images differ more.

# %%
def fine_tune(model, base, num_layers, head_learning_rate):
    """Unfreeze the top layers of the base (not BatchNormalization) and recompile the model.

    Args:
        model: tf.keras.Model built by build_transfer_model on `base`, head already trained.
        base: the tf.keras.Model inside `model`.
        num_layers: int, how many of `base.layers`, counted from the end, become trainable
            (the InputLayer counts as a layer; layers without weights unfreeze nothing).
        head_learning_rate: float, the learning rate the head was trained with.
    Returns:
        model: the same model, compiled again as train_head compiles it (the loss on logits,
            the "accuracy" metric) but with Adam at a learning rate of at most a tenth of
            head_learning_rate (head_learning_rate / 10 is the usual choice).
    """
    # TODO: set base.trainable = True, then set trainable = False on every layer of the base
    #   except the last num_layers, and on every BatchNormalization layer. Recompile the model
    #   (same loss and metric as train_head) with Adam(head_learning_rate / 10).
    # Change `base` and `model` in place; the return is already written for you.
    # Rule: do not fit here.
    # Hint: base.layers[:len(base.layers) - num_layers] (beware: [:-0] is the empty list).
    # About 10 lines.
    ### BEGIN SOLUTION
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    model.compile(
        optimizer=tf.keras.optimizers.Adam(head_learning_rate / 10),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    ### END SOLUTION
    return model


# %% [markdown]
# ## Feature extraction
#
# The frozen base is also a plain function from images to 1,024 numbers. Compute those once and
# any classifier can learn from them; here scikit-learn's logistic regression, which needs no
# epochs or learning rate.

# %%
def extract_features(base, images):
    """Run images through the frozen base in inference mode.

    Args:
        base: tf.keras.Model, input (batch, 8, 8, 1) float32, output (batch, feature_dim).
        images: float32 array, shape (N, 8, 8, 1), values in [0, 1].
    Returns:
        features: float32 np.ndarray, shape (N, feature_dim) (1024 for the digits base).
    """
    # TODO: call the base on the images with training=False and convert the result to a
    #   float32 NumPy array.
    # Put it in `features`.
    # Rule: no training here; BatchNormalization must use its moving statistics.
    # Hint: np.asarray(tensor, dtype=np.float32).
    # About 2 lines.
    ### BEGIN SOLUTION
    outputs = base(images, training=False)
    features = np.asarray(outputs, dtype=np.float32)
    ### END SOLUTION
    return features


def fit_linear_classifier(features, labels):
    """Fit a logistic regression on extracted features.

    Args:
        features: float32 array, shape (N, feature_dim).
        labels: int array, shape (N,), values 0..num_classes-1.
    Returns:
        classifier: a fitted sklearn.linear_model.LogisticRegression (`.predict(features)`
            returns int labels, shape (N,)).
    """
    # TODO: create a LogisticRegression and fit it on features and labels (its default settings
    # converge here in about 40 iterations). Put the fitted model in `classifier`.
    # Rule: fit on the features you are given only, never on test features.
    # Hint: sklearn.linear_model.LogisticRegression().fit(X, y) returns itself.
    # About 2 lines.
    ### BEGIN SOLUTION
    classifier = sklearn.linear_model.LogisticRegression()
    classifier.fit(features, labels)
    ### END SOLUTION
    return classifier


# %% [markdown]
# ## The recipe on a real architecture
#
# Everything above carries over to ImageNet networks. With internet access you would write
#
#     base = tf.keras.applications.MobileNetV2(
#         include_top=False, weights="imagenet", input_shape=(96, 96, 3))
#
# which downloads about 9 MB of pretrained weights once. The course runs offline, so we build
# the same architecture with `weights=None` (random weights, about 2 s, no download). Each
# application expects its own input scaling: `tf.keras.applications.mobilenet_v2.preprocess_input`
# maps [0, 255] to [-1, 1], which is exactly `Rescaling(1 / 127.5, offset=-1)`. Use the layer
# inside the model: it is saved with the model, whereas `preprocess_input` on a float32 NumPy
# array divides it in place and returns the same array (run it twice and the images are wrong).

# %%
def build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None):
    """Build a frozen MobileNetV2 with a new classification head.

    Args:
        input_shape: tuple (height, width, 3), each side at least 32.
        num_classes: int, number of new classes.
        weights: None (random, offline) or "imagenet" (downloads the pretrained weights).
    Returns:
        model: a functional tf.keras.Model, input float32 (batch, height, width, 3) with values
            in [0, 255], output float32 logits (batch, num_classes). MobileNetV2 sits inside it
            as one nested model, called once with training=False (its own pooling="avg" or a
            GlobalAveragePooling2D layer after it: either). Only the head is trainable.
    """
    # TODO: create MobileNetV2(include_top=False, weights=weights, input_shape=input_shape) and
    #   freeze it; build Input -> Rescaling(1 / 127.5, offset=-1) -> base(..., training=False)
    #   -> GlobalAveragePooling2D -> Dropout(0.2) -> Dense(num_classes).
    # Put the result in `model`.
    # Rule: only the head may be trainable.
    # Hint: the same five steps as build_transfer_model, plus the rescaling and the pooling.
    # About 9 lines.
    ### BEGIN SOLUTION
    base = tf.keras.applications.MobileNetV2(
        include_top=False, weights=weights, input_shape=input_shape
    )
    base.trainable = False
    inputs = tf.keras.Input(shape=input_shape, name="image")
    x = tf.keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="preprocess")(inputs)
    x = base(x, training=False)
    x = tf.keras.layers.GlobalAveragePooling2D(name="pool")(x)
    x = tf.keras.layers.Dropout(0.2, name="head_dropout")(x)
    outputs = tf.keras.layers.Dense(num_classes, name="head")(x)
    model = tf.keras.Model(inputs, outputs, name="mobilenet_transfer")
    ### END SOLUTION
    return model


def digits_to_rgb(images, size=32):
    """Resize (N, 8, 8, 1) digits in [0, 1] to (N, size, size, 3) float32 in [0, 255]."""
    resized = tf.image.resize(images, (size, size))
    return np.asarray(tf.repeat(resized, 3, axis=-1), dtype=np.float32) * 255.0


def accuracy(model, images, labels):
    """Fraction of images whose highest logit is the label (a float)."""
    logits = model.predict(images, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == labels))


# %% [markdown]
# ## Try it
#
# `main()` trains and evaluates every step on the part's data and prints each result beside the
# expected one (about 15 s). `make try PART=3` runs it on your file, stopping at the first exercise
# you have not written yet; in a notebook, call `main()` in a new cell. Everything that trains
# lives here, so importing this file stays cheap.

# %%
def main():
    """Train and evaluate every step of the part; print each result beside what it should be."""
    tf.keras.utils.set_random_seed(0)
    base = load_frozen_base()
    print("base, output shape and trainable weights:", base.output_shape, len(base.trainable_weights),
          "[expected (None, 1024) 0]")

    model = build_transfer_model(base, num_classes=5)
    head_size = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    print("transfer model, trainable parameters:", head_size, "[expected 5125]")
    train_head(model, few_images, few_labels, epochs=10)
    print(f"head only: {accuracy(model, target_test_images, target_test_labels):.3f} test accuracy "
          "[the reference: 0.86-0.93 over 20 seeds]")

    # Unfreeze conv2 (the last 5 layers: conv2, bn2, relu2, pool, flatten; bn2 stays frozen).
    fine_tune(model, base, num_layers=5, head_learning_rate=1e-3)
    head_weights = len(model.trainable_weights) - len(base.trainable_weights)
    print("fine_tune, the base's trainable weights and the head's count:",
          [w.path for w in base.trainable_weights], head_weights, "[expected ['conv2/kernel'] 2]")
    model.fit(few_images, few_labels, epochs=10, batch_size=16, verbose=0)
    print(f"fine-tuned: {accuracy(model, target_test_images, target_test_labels):.3f} test accuracy "
          "[the reference: 0.89-0.96 over 20 seeds]")

    base = load_frozen_base()
    classifier = fit_linear_classifier(extract_features(base, few_images), few_labels)
    predicted = classifier.predict(extract_features(base, target_test_images))
    print(f"logistic regression on the features: {np.mean(predicted == target_test_labels):.3f} "
          "test accuracy [the reference: 0.91-0.98 over 20 seeds]")

    mobilenet = build_mobilenet_transfer(input_shape=(32, 32, 3), num_classes=5, weights=None)
    logits = mobilenet(digits_to_rgb(few_images[:4]), training=False)
    print("MobileNetV2 transfer, logits' shape and trainable weights:", tuple(logits.shape),
          len(mobilenet.trainable_weights), "[expected (4, 5) 2]")


if __name__ == "__main__":
    main()
