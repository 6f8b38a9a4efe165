"""Part 1: TensorFlow 2 basics.

You will use the pieces TensorFlow 2 is built from: tensors that run eagerly, `tf.GradientTape`
for derivatives, `tf.function` for graphs (tracing, retracing, AutoGraph), and the classes you
inherit from to hold state: `tf.Variable`, `tf.Module`, `tf.keras.layers.Layer`,
`tf.keras.Model` and `tf.train.Checkpoint`. By the end, a layer you wrote yourself trains inside a
Keras model and its weights survive a checkpoint round trip. Every exercise is graded in a few
seconds by `make grade PART=1`.
"""

# %% [markdown]
# # Part 1: TensorFlow 2 basics
#
# TensorFlow 1 made you build a graph first and run it later in a `Session`. TensorFlow 2 runs
# every operation as soon as you call it (*eager execution*) and gives you graphs back, when you
# want their speed, through `tf.function`. Keras is its high-level API (`tf.keras`), and its
# classes are built on the same low-level interfaces you will inherit from here.
#
# ## Setup

# %%
import numpy as np
import tensorflow as tf

assert tf.executing_eagerly()  # TF 2: no graph, no session, results right away

# %% [markdown]
# ## 1. Tensors and broadcasting
#
# Tensors behave like NumPy arrays: `tf.reduce_mean(x, axis=0)` averages over rows, and
# arithmetic between shapes `(n, d)` and `(1, d)` *broadcasts* the second over every row.
# `keepdims=True` keeps the reduced axis with length 1, which is what makes broadcasting line up.

# %%
x_demo = tf.constant([[1.0, 2.0], [3.0, 6.0]])
print(tf.reduce_mean(x_demo, axis=0, keepdims=True).numpy())  # [[2. 4.]]


# %%
def standardize(x, axis=0):
    """Standardise `x` along `axis`: subtract the mean and divide by the standard deviation.

    Args:
        x: float32 tensor of any rank, e.g. shape (batch, features).
        axis: int, the axis to reduce over (0: per feature, across the batch).

    Returns:
        float32 tensor, same shape as `x`; along `axis` every slice has mean 0 and std 1
        (NumPy's `(x - x.mean(axis, keepdims=True)) / x.std(axis, keepdims=True)`).
    """
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    # TODO: compute the mean and the standard deviation of `x` along `axis` and put the
    # standardised tensor in `standardized`. Use TensorFlow ops only (no NumPy).
    # Hint: tf.reduce_mean and tf.math.reduce_std with keepdims=True. About 3 lines.
    ### BEGIN SOLUTION
    mean = tf.reduce_mean(x, axis=axis, keepdims=True)
    std = tf.math.reduce_std(x, axis=axis, keepdims=True)
    standardized = (x - mean) / std
    ### END SOLUTION
    return standardized


# %% [markdown]
# ## 2. Gradients with `tf.GradientTape`
#
# A tape records the operations run inside its `with` block and differentiates them afterwards.
# It watches trainable `tf.Variable`s by itself; a constant tensor must be watched by hand with
# `tape.watch(c)`, otherwise its gradient comes back as `None`.

# %%
def cubic_gradients(x, c):
    """Return the gradients of y = c * x**3 with respect to x and to c.

    Args:
        x: scalar float32 `tf.Variable`.
        c: scalar float32 `tf.constant` (not a variable).

    Returns:
        (dy_dx, dy_dc): two scalar float32 tensors, 3 * c * x**2 and x**3.
    """
    # TODO: record y = c * x**3 on a tf.GradientTape and ask it for both gradients at once,
    # putting them in `dy_dx` and `dy_dc`. Do not write the derivatives by hand.
    # Hint: the tape only watches variables by itself. About 4 lines.
    ### BEGIN SOLUTION
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * x**3
    dy_dx, dy_dc = tape.gradient(y, [x, c])
    ### END SOLUTION
    return dy_dx, dy_dc


# %% [markdown]
# Tapes nest: an outer tape can record what an inner tape computes, gradient included, which gives
# second derivatives.

# %%
def second_derivative(f, x):
    """Return d²f/dx² at `x`, for a function `f` of one tensor built from TensorFlow ops.

    Args:
        f: Python callable taking and returning a float32 tensor (e.g. tf.sin).
        x: float32 tensor of any shape; derivatives are taken element-wise.

    Returns:
        float32 tensor, same shape as `x` (for tf.sin: -sin(x)).
    """
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    # TODO: nest two GradientTapes: the inner one gives df/dx, the outer one differentiates
    # that again. Put the result in `d2f_dx2`. Compute the inner gradient inside the outer block.
    # Hint: both tapes must watch `x`, which is a constant. About 6 lines.
    ### BEGIN SOLUTION
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        df_dx = inner.gradient(y, x)
    d2f_dx2 = outer.gradient(df_dx, x)
    ### END SOLUTION
    return d2f_dx2


# %% [markdown]
# ## 3. Variables, `tf.Module` and a custom training loop
#
# A `tf.Variable` is a tensor you can change in place (`assign`, `assign_sub`); optimizers update
# variables. `tf.Module` is the smallest class that *owns* variables: every `tf.Variable` you
# store as an attribute shows up in `module.trainable_variables`, and a checkpoint can save it.

# %%
class LinearModel(tf.Module):
    """y = w * x + b with two scalar float32 variables, `w` and `b`, both starting at 0."""

    def __init__(self, name=None):
        super().__init__(name=name)
        # TODO: create the two trainable scalar variables `self.w` and `self.b`, both 0.0 and
        # float32. Use tf.Variable, not a plain tensor. About 2 lines.
        ### BEGIN SOLUTION
        self.w = tf.Variable(0.0, dtype=tf.float32, name="w")
        self.b = tf.Variable(0.0, dtype=tf.float32, name="b")
        ### END SOLUTION

    def __call__(self, x):
        return self.w * x + self.b


# %%
def fit_linear(x, y, epochs=100, learning_rate=0.1):
    """Fit a LinearModel to (x, y) by gradient descent on the mean squared error.

    Args:
        x: float32 tensor, shape (n,).
        y: float32 tensor, shape (n,).
        epochs: int, number of full-batch gradient steps.
        learning_rate: float, for a tf.keras.optimizers.SGD optimizer.

    Returns:
        The trained LinearModel.
    """
    model = LinearModel()
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    # TODO: for each epoch, compute the MSE loss of model(x) against y on a GradientTape, take its
    # gradients with respect to model.trainable_variables and apply them with the optimizer.
    # Do not update the variables by hand. Hint: optimizer.apply_gradients(zip(grads, vars)).
    # About 5 lines.
    ### BEGIN SOLUTION
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    ### END SOLUTION
    return model


# %% [markdown]
# ## 4. Graphs with `tf.function`: tracing and retracing
#
# `tf.function` turns a Python function into a graph. The first call *traces* it: Python runs
# once with symbolic tensors and the graph is kept for inputs of that shape and dtype. A call with
# a new shape, a new dtype, or a new *Python value* traces again. Here is the pitfall in a pair:

# %%
@tf.function
def retraces_every_call(x, scale):
    return scale * x


@tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32),
                              tf.TensorSpec(shape=[], dtype=tf.float32)])
def traces_once(x, scale):
    return scale * x


for n, scale in [(1, 0.5), (7, 1.0), (32, 2.0)]:
    retraces_every_call(tf.ones([n]), scale)  # new shape and new Python float: a new graph
    traces_once(tf.ones([n]), scale)  # the signature says: any length, a float32 scalar
print(retraces_every_call.experimental_get_tracing_count(), traces_once.experimental_get_tracing_count())  # 3 1


# %% [markdown]
# `reduce_retracing=True` is the lazy alternative: it relaxes shapes after it has seen two
# different ones (so it traces twice), and it still retraces for every new Python number.

# %%
def make_scaled_row_norms():
    """Return a `tf.function` computing `scale * ||row||` for every row of a (batch, 3) matrix.

    The returned function takes:
        x: float32 tensor, shape (batch, 3), any batch size.
        scale: a float32 scalar; callers may pass a Python float.
    and returns a float32 tensor of shape (batch,). It must trace only once for batch sizes
    1, 7 and 32 and any scale.
    """
    # TODO: define `scaled_row_norms(x, scale)` decorated with tf.function and an input_signature
    # that accepts any batch size of 3 columns and a float32 scalar scale. Do not use
    # tf.config.run_functions_eagerly. Hint: tf.norm(x, axis=1). About 5 lines.
    ### BEGIN SOLUTION
    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32),
                                  tf.TensorSpec(shape=[], dtype=tf.float32)])
    def scaled_row_norms(x, scale):
        return scale * tf.norm(x, axis=1)
    ### END SOLUTION
    return scaled_row_norms


# %% [markdown]
# ## 5. AutoGraph: Python control flow on tensors
#
# Inside a `tf.function`, AutoGraph rewrites a Python `while` or `if` whose condition is a
# *tensor* into graph ops (`While`, `If`), so the loop runs in the graph for any input. A loop over
# a Python `range` is unrolled instead, and a condition on a Python value is decided at tracing.

# %%
def make_collatz_steps():
    """Return a `tf.function` counting the Collatz steps from `n` down to 1.

    One step: n -> n // 2 if n is even, else 3 * n + 1. collatz_steps(1) = 0, collatz_steps(6) = 8.

    The returned function takes n: int32 scalar tensor >= 1, and returns an int32 scalar tensor.
    Its graph must contain a loop (While) and a branch (If) built by AutoGraph.
    """
    # TODO: write `collatz_steps(n)` with a Python `while` loop over the tensor `n` and an
    # `if` on its parity, and decorate it with tf.function. Do not use tf.while_loop or .numpy().
    # Hint: keep `steps` a tensor (tf.constant(0)) so both branches give the same dtype.
    # About 9 lines.
    ### BEGIN SOLUTION
    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
    def collatz_steps(n):
        steps = tf.constant(0)
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps
    ### END SOLUTION
    return collatz_steps


# %% [markdown]
# ## 6. Your own Keras layer
#
# A `tf.keras.layers.Layer` creates its weights in `build(input_shape)`, the first time it sees an
# input, with `self.add_weight(shape=..., initializer=..., name=...)`, and computes in `call`.
# Keras 3 weights are `keras.Variable`s, tracked by the layer like `tf.Variable`s by a `tf.Module`.

# %%
class DenseLayer(tf.keras.layers.Layer):
    """A fully connected layer: activation(x @ kernel + bias).

    Args:
        units: int, the number of outputs.
        activation: None, a name ("relu") or a callable.
    """

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        """Create `self.kernel`, shape (input_dim, units), and `self.bias`, shape (units,)."""
        input_dim = input_shape[-1]
        # TODO: create both trainable weights with self.add_weight(shape=..., initializer=...,
        # name=...): the kernel "glorot_uniform", the bias "zeros". Keyword arguments only
        # (Keras 3). About 4 lines.
        ### BEGIN SOLUTION
        self.kernel = self.add_weight(shape=(input_dim, self.units),
                                      initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        ### END SOLUTION

    def call(self, inputs):
        """inputs: float32 tensor (batch, input_dim) -> float32 tensor (batch, units)."""
        # TODO: compute activation(inputs @ kernel + bias) and put it in `outputs`.
        # Hint: tf.matmul. About 1 line.
        ### BEGIN SOLUTION
        outputs = self.activation(tf.matmul(inputs, self.kernel) + self.bias)
        ### END SOLUTION
        return outputs


# %% [markdown]
# ## 7. A model from your layer, trained with `compile` and `fit`

# %%
def build_model(input_dim, hidden_units=16):
    """Return a tf.keras.Model: input_dim -> DenseLayer(hidden_units, relu) -> DenseLayer(1).

    Args:
        input_dim: int, number of input features.
        hidden_units: int, width of the hidden layer.

    Returns:
        A tf.keras.Model mapping float32 (batch, input_dim) to float32 (batch, 1).
    """
    # TODO: build the model with the functional API (tf.keras.Input, then your DenseLayer twice)
    # and put it in `model`. Use your DenseLayer, not tf.keras.layers.Dense. About 4 lines.
    ### BEGIN SOLUTION
    inputs = tf.keras.Input(shape=(input_dim,))
    hidden = DenseLayer(hidden_units, activation="relu")(inputs)
    outputs = DenseLayer(1)(hidden)
    model = tf.keras.Model(inputs, outputs)
    ### END SOLUTION
    return model


# %%
def train_model(model, x, y, epochs=20):
    """Compile `model` for regression and fit it on (x, y).

    Args:
        model: a tf.keras.Model from build_model.
        x: float32 array, shape (n, input_dim).
        y: float32 array, shape (n, 1).
        epochs: int.

    Returns:
        The tf.keras.callbacks.History returned by fit.
    """
    # TODO: compile with the Adam optimizer (learning rate 0.01) and the mean squared error,
    # then fit with batch_size 32 and verbose=0; put fit's result in `history`. About 3 lines.
    ### BEGIN SOLUTION
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    ### END SOLUTION
    return history


# %% [markdown]
# ## 8. Checkpoints
#
# `tf.train.Checkpoint(model=..., optimizer=...)` saves every variable reachable from the objects
# you name, the optimizer's step counter and moments included. A `tf.train.CheckpointManager`
# numbers the saves and deletes the oldest beyond `max_to_keep`.

# %%
def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    """Return a tf.train.CheckpointManager saving `model` and `optimizer` into `directory`.

    Args:
        model: a built tf.keras.Model.
        optimizer: a tf.keras optimizer (its state, e.g. `iterations`, must be saved too).
        directory: str, a folder for the checkpoint files.
        max_to_keep: int, how many checkpoints to keep.

    Returns:
        A tf.train.CheckpointManager; `manager.save()` writes a checkpoint.
    """
    # TODO: make a tf.train.Checkpoint that tracks both the model and the optimizer, then a
    # CheckpointManager for it; put the manager in `manager`. About 2 lines.
    ### BEGIN SOLUTION
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
    manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep=max_to_keep)
    ### END SOLUTION
    return manager


# %%
def restore_latest(manager):
    """Restore the newest checkpoint of `manager` into the objects it tracks.

    Returns:
        str, the path of the restored checkpoint, or None when there is none.
    """
    # TODO: restore `manager.latest_checkpoint` through `manager.checkpoint` and put its path
    # (or None) in `path`. Hint: checkpoint.restore(path). About 3 lines.
    ### BEGIN SOLUTION
    path = manager.latest_checkpoint
    if path is not None:
        manager.checkpoint.restore(path)
    ### END SOLUTION
    return path


# %% [markdown]
# ## Try it
#
# `make try PART=1` runs this section on your file: each line shows what your code gives and, in
# brackets, what it should give. It stops at the first exercise you have not written yet;
# `make grade PART=1` grades them all.

# %%
if __name__ == "__main__":
    import tempfile

    tf.keras.utils.set_random_seed(0)
    print("standardize:", standardize(tf.constant([[1.0, 2.0], [3.0, 6.0]])).numpy().tolist(),
          "[expected [[-1.0, -1.0], [1.0, 1.0]]]")
    gradients = cubic_gradients(tf.Variable(2.0), tf.constant(3.0))
    print("cubic_gradients at x=2, c=3:", [float(g) for g in gradients], "[expected [36.0, 8.0]]")
    print(f"second_derivative of sin at 1: {float(second_derivative(tf.sin, tf.constant(1.0))):.4f}",
          "[expected -0.8415]")
    xs = tf.random.normal([200])
    fitted = fit_linear(xs, 3.0 * xs - 2.0)
    print(f"fit_linear, (w, b) for y = 3x - 2: ({float(fitted.w):.3f}, {float(fitted.b):.3f})",
          "[expected (3.000, -2.000)]")
    row_norms = make_scaled_row_norms()
    for batch in (1, 7, 32):
        row_norms(tf.ones([batch, 3]), 2.0)
    print("scaled_row_norms traces for 3 batch sizes:", row_norms.experimental_get_tracing_count(),
          "[expected 1]")
    print("collatz_steps(27):", int(make_collatz_steps()(tf.constant(27))), "[expected 111]")
    layer = DenseLayer(3, activation="relu")
    outputs = layer(tf.ones([2, 4]))
    print("DenseLayer(3) on shape (2, 4):", tuple(outputs.shape), "weights",
          sorted(tuple(w.shape) for w in layer.trainable_weights), "[expected (2, 3) weights [(3,), (4, 3)]]")
    x = np.random.default_rng(0).normal(size=(256, 2)).astype(np.float32)
    model = build_model(2)
    losses = train_model(model, x, x[:, :1] - 2 * x[:, 1:], epochs=20).history["loss"]
    print(f"train_model: MSE {losses[0]:.2f} -> {losses[-1]:.3f} in 20 epochs [expected about 3 -> 0.01]")
    with tempfile.TemporaryDirectory() as directory:
        manager = make_checkpoint_manager(model, model.optimizer, directory)
        manager.save()
        print("restore_latest:", str(restore_latest(manager)).replace(directory, "<folder>"),
              "[expected <folder>/ckpt-1]")
