"""dana: defensive: converts and checks her inputs, raises with a sentence, names everything
explicitly (layer names, dtypes, keyword arguments). Written from the stubs, alone.
"""

# ---- standardize
x = tf.cast(x, tf.float32)
mu, var = tf.nn.moments(x, axes=[axis], keepdims=True)
tf.debugging.assert_positive(var, message="a constant slice cannot be standardized")
standardized = (x - mu) * tf.math.rsqrt(var)

# ---- cubic_gradients
assert x.dtype == c.dtype, "x and c must share a dtype"
with tf.GradientTape(watch_accessed_variables=True) as tape:
    tape.watch([x, c])
    y = tf.multiply(c, tf.math.pow(x, 3.0))
dy_dx, dy_dc = tape.gradient(target=y, sources=[x, c])

# ---- second_derivative
x = tf.convert_to_tensor(x)
with tf.GradientTape() as outer_tape:
    outer_tape.watch(x)
    with tf.GradientTape() as inner_tape:
        inner_tape.watch(x)
        fx = f(x)
    dfx = inner_tape.gradient(fx, x)
    if dfx is None:
        raise ValueError("f does not depend on x")
d2f_dx2 = outer_tape.gradient(dfx, x)

# ---- LinearModel.__init__
for attribute in ("w", "b"):
    setattr(self, attribute, tf.Variable(0.0, dtype=tf.float32, trainable=True, name=attribute))

# ---- fit_linear
x = tf.convert_to_tensor(x, tf.float32)
y = tf.convert_to_tensor(y, tf.float32)
tf.debugging.assert_equal(tf.shape(x), tf.shape(y), message="x and y need the same shape")
loss_fn = tf.keras.losses.MeanSquaredError()
for _ in range(int(epochs)):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    if any(g is None for g in grads):
        raise RuntimeError("a variable got no gradient")
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

# ---- make_scaled_row_norms
signature = [tf.TensorSpec(shape=(None, 3), dtype=tf.float32, name="x"),
             tf.TensorSpec(shape=(), dtype=tf.float32, name="scale")]


@tf.function(input_signature=signature, reduce_retracing=False)
def scaled_row_norms(x, scale):
    tf.debugging.assert_rank(x, 2, message="x must be a matrix")
    return tf.math.multiply(scale, tf.norm(x, ord="euclidean", axis=1))

# ---- make_collatz_steps
@tf.function(input_signature=(tf.TensorSpec(shape=(), dtype=tf.int32, name="n"),))
def collatz_steps(n):
    tf.debugging.assert_positive(n, message="Collatz needs n >= 1")
    steps = tf.zeros((), dtype=tf.int32)
    while n != 1:
        if n % 2 == 1:
            n = 3 * n + 1
        else:
            n = n // 2
        steps += 1
    return steps

# ---- DenseLayer.build
if input_dim is None:
    raise ValueError("DenseLayer needs a known last input dimension")
self.kernel = self.add_weight(name="kernel", shape=(int(input_dim), self.units),
                              initializer="glorot_uniform", dtype="float32", trainable=True)
self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros",
                            dtype="float32", trainable=True)

# ---- DenseLayer.call
outputs = self.activation(tf.add(tf.matmul(inputs, self.kernel), self.bias))

# ---- build_model
if hidden_units <= 0:
    raise ValueError(f"hidden_units must be positive, got {hidden_units}")
inputs = tf.keras.Input(shape=(int(input_dim),), name="features")
hidden = DenseLayer(hidden_units, activation="relu", name="hidden")(inputs)
prediction = DenseLayer(1, activation=None, name="prediction")(hidden)
model = tf.keras.Model(inputs=inputs, outputs=prediction, name="regressor")

# ---- train_model
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
              loss=tf.keras.losses.MeanSquaredError(), metrics=[])
history = model.fit(x, y, epochs=int(epochs), batch_size=32, verbose=0)
if len(history.history["loss"]) != epochs:
    raise RuntimeError("training stopped early")

# ---- make_checkpoint_manager
if max_to_keep < 1:
    raise ValueError(f"max_to_keep must be at least 1, got {max_to_keep}")
checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
manager = tf.train.CheckpointManager(checkpoint, directory=str(directory), max_to_keep=int(max_to_keep))

# ---- restore_latest
path = manager.latest_checkpoint
if path is None:
    print("no checkpoint yet: starting from scratch")
else:
    manager.checkpoint.restore(path).expect_partial()
