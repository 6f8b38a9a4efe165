"""bruno: as few lines as will do; short names, positional arguments, a lambda where it fits.
Written from the stubs, alone.
"""

# ---- standardize
standardized = (x - tf.reduce_mean(x, axis, keepdims=True)) / tf.math.reduce_std(x, axis, keepdims=True)

# ---- cubic_gradients
with tf.GradientTape() as t:
    t.watch(c); y = c * x ** 3
dy_dx, dy_dc = t.gradient(y, [x, c])

# ---- second_derivative
with tf.GradientTape() as t2:
    t2.watch(x)
    with tf.GradientTape() as t1:
        t1.watch(x); y = f(x)
    g = t1.gradient(y, x)
d2f_dx2 = t2.gradient(g, x)

# ---- LinearModel.__init__
self.w, self.b = tf.Variable(0.), tf.Variable(0.)

# ---- fit_linear
for _ in range(epochs):
    with tf.GradientTape() as t:
        l = tf.reduce_mean((model(x) - y) ** 2)
    v = model.trainable_variables
    optimizer.apply_gradients(zip(t.gradient(l, v), v))

# ---- make_scaled_row_norms
scaled_row_norms = tf.function(lambda a, s: s * tf.norm(a, axis=1),
                               input_signature=[tf.TensorSpec([None, 3]), tf.TensorSpec([])])

# ---- make_collatz_steps
@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def collatz_steps(n):
    k = tf.constant(0)
    while n > 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        k += 1
    return k

# ---- DenseLayer.build
self.kernel = self.add_weight(shape=(input_dim, self.units), initializer="glorot_uniform", name="kernel")
self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

# ---- DenseLayer.call
outputs = self.activation(inputs @ self.kernel + self.bias)

# ---- build_model
i = tf.keras.Input((input_dim,))
model = tf.keras.Model(i, DenseLayer(1)(DenseLayer(hidden_units, "relu")(i)))

# ---- train_model
model.compile(tf.keras.optimizers.Adam(1e-2), "mse")
history = model.fit(x, y, 32, epochs, verbose=0)

# ---- make_checkpoint_manager
manager = tf.train.CheckpointManager(tf.train.Checkpoint(model=model, optimizer=optimizer), directory, max_to_keep)

# ---- restore_latest
path = manager.latest_checkpoint
if path: manager.checkpoint.restore(path)
