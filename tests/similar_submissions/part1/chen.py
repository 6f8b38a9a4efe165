"""chen: thinks in NumPy: sums and counts instead of means, tf.math spelled out, the Python
function written first and wrapped by tf.function after. Written from the stubs, alone.
"""

# ---- standardize
x = tf.convert_to_tensor(x, dtype=tf.float32)
n = tf.cast(tf.shape(x)[axis], tf.float32)
m = tf.reduce_sum(x, axis=axis, keepdims=True) / n
d = x - m
sd = tf.math.sqrt(tf.math.reduce_sum(d * d, axis=axis, keepdims=True) / n)
standardized = d / sd

# ---- cubic_gradients
tape = tf.GradientTape(persistent=True)
with tape:
    tape.watch(c)
    y = c * x * x * x
dy_dx = tape.gradient(y, x)
dy_dc = tape.gradient(y, c)
del tape

# ---- second_derivative
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = f(x)
    dy = tape.gradient(y, x)
d2f_dx2 = tape.gradient(dy, x)

# ---- LinearModel.__init__
self.w = tf.Variable(tf.zeros([], dtype=tf.float32), name="weight")
self.b = tf.Variable(tf.zeros([], dtype=tf.float32), name="bias")

# ---- fit_linear
n = tf.cast(tf.size(x), tf.float32)
for i in range(epochs):
    with tf.GradientTape() as tape:
        residual = model(x) - y
        loss = tf.reduce_sum(residual * residual) / n
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

# ---- make_scaled_row_norms
def _norms(matrix, s):
    squared = tf.math.reduce_sum(matrix * matrix, axis=-1)
    return s * tf.math.sqrt(squared)


scaled_row_norms = tf.function(_norms, input_signature=(
    tf.TensorSpec(shape=[None, 3], dtype=tf.float32),
    tf.TensorSpec(shape=[], dtype=tf.float32),
))

# ---- make_collatz_steps
def _collatz(n):
    count = tf.zeros([], dtype=tf.int32)
    while tf.math.greater(n, 1):
        if tf.math.equal(tf.math.mod(n, 2), 0):
            n = tf.math.floordiv(n, 2)
        else:
            n = tf.math.add(tf.math.multiply(n, 3), 1)
        count = tf.math.add(count, 1)
    return count


collatz_steps = tf.function(_collatz, input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])

# ---- DenseLayer.build
w_shape = [int(input_dim), self.units]
self.kernel = self.add_weight(shape=w_shape, initializer=tf.keras.initializers.GlorotUniform(), name="kernel")
self.bias = self.add_weight(shape=[self.units], initializer=tf.keras.initializers.Zeros(), name="bias")

# ---- DenseLayer.call
z = tf.linalg.matmul(inputs, self.kernel)
z = tf.nn.bias_add(z, self.bias)
outputs = self.activation(z)

# ---- build_model
inp = tf.keras.layers.Input(shape=[input_dim])
h = DenseLayer(hidden_units, activation=tf.nn.relu)(inp)
out = DenseLayer(1, activation=None)(h)
model = tf.keras.Model(inputs=inp, outputs=out)

# ---- train_model
opt = tf.keras.optimizers.Adam(learning_rate=1e-2)
model.compile(optimizer=opt, loss="mean_squared_error")
history = model.fit(x=x, y=y, epochs=epochs, batch_size=32, verbose=0)

# ---- make_checkpoint_manager
ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
manager = tf.train.CheckpointManager(ckpt, directory=directory, max_to_keep=max_to_keep)

# ---- restore_latest
path = None
if manager.latest_checkpoint is not None:
    path = manager.latest_checkpoint
    status = manager.checkpoint.restore(path)
