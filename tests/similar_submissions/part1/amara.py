"""amara: explains each step in a comment above it, names every intermediate value, spells out
the defaults. Written from the stubs, alone.

Each `# ---- <exercise>` section is what she wrote in place of that exercise's
`# YOUR CODE HERE` (tests/similar_class.py fills the stub with it).
"""

# ---- standardize
# first the mean along the axis, kept as a dimension so that it broadcasts back
mean_along_axis = tf.reduce_mean(x, axis=axis, keepdims=True)
# then the spread: the mean squared deviation, then its square root
variance_along_axis = tf.reduce_mean(tf.square(x - mean_along_axis), axis=axis, keepdims=True)
spread = tf.sqrt(variance_along_axis)
centred = x - mean_along_axis
standardized = centred / spread

# ---- cubic_gradients
# c is a constant tensor, so the tape has to be told to watch it
with tf.GradientTape(persistent=False) as gradient_tape:
    gradient_tape.watch(c)
    cubed = tf.pow(x, 3)
    function_value = c * cubed
gradients = gradient_tape.gradient(function_value, [x, c])
dy_dx = gradients[0]
dy_dc = gradients[1]

# ---- second_derivative
# two tapes, one inside the other: the outer one records the inner gradient
with tf.GradientTape() as second_tape:
    second_tape.watch(x)
    with tf.GradientTape() as first_tape:
        first_tape.watch(x)
        value_of_f = f(x)
    # still inside the outer tape
    first_derivative = first_tape.gradient(value_of_f, x)
d2f_dx2 = second_tape.gradient(first_derivative, x)

# ---- LinearModel.__init__
# both start at zero, both are trained
self.w = tf.Variable(initial_value=0.0, trainable=True, dtype=tf.float32)
self.b = tf.Variable(initial_value=0.0, trainable=True, dtype=tf.float32)

# ---- fit_linear
for epoch_number in range(epochs):
    with tf.GradientTape() as loss_tape:
        predictions = model(x)
        squared_errors = tf.square(predictions - y)
        mse_loss = tf.reduce_mean(squared_errors)
    variables_to_train = model.trainable_variables
    loss_gradients = loss_tape.gradient(mse_loss, variables_to_train)
    # the optimizer does the update, never by hand
    optimizer.apply_gradients(list(zip(loss_gradients, variables_to_train)))

# ---- make_scaled_row_norms
# a fixed signature: any number of rows of 3 columns, and a scalar
row_spec = tf.TensorSpec(shape=(None, 3), dtype=tf.float32)
scale_spec = tf.TensorSpec(shape=(), dtype=tf.float32)


@tf.function(input_signature=(row_spec, scale_spec))
def scaled_row_norms(rows, scale_factor):
    # the Euclidean norm of every row, then scaled
    norms_of_rows = tf.sqrt(tf.reduce_sum(tf.square(rows), axis=1))
    return scale_factor * norms_of_rows

# ---- make_collatz_steps
@tf.function(input_signature=[tf.TensorSpec(shape=(), dtype=tf.int32)])
def collatz_steps(number):
    # AutoGraph turns the while and the if into graph ops
    step_count = tf.constant(0, dtype=tf.int32)
    while tf.greater(number, 1):
        is_even = tf.equal(tf.math.floormod(number, 2), 0)
        if is_even:
            number = tf.math.floordiv(number, 2)
        else:
            number = 3 * number + 1
        step_count = step_count + 1
    return step_count

# ---- DenseLayer.build
kernel_shape = (input_dim, self.units)
self.kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer="glorot_uniform", trainable=True)
self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros", trainable=True)

# ---- DenseLayer.call
# the affine map first, the activation last
pre_activation = tf.matmul(inputs, self.kernel) + self.bias
outputs = self.activation(pre_activation)

# ---- build_model
model_input = tf.keras.Input(shape=(input_dim,), dtype=tf.float32)
hidden_layer = DenseLayer(units=hidden_units, activation="relu")
output_layer = DenseLayer(units=1)
hidden_features = hidden_layer(model_input)
prediction = output_layer(hidden_features)
model = tf.keras.Model(inputs=model_input, outputs=prediction)

# ---- train_model
adam = tf.keras.optimizers.Adam(learning_rate=0.01)
model.compile(optimizer=adam, loss=tf.keras.losses.MeanSquaredError())
history = model.fit(x, y, batch_size=32, epochs=epochs, verbose=0, shuffle=True)

# ---- make_checkpoint_manager
# the optimizer is tracked too, so its step counter and moments come back
tracked = tf.train.Checkpoint(optimizer=optimizer, model=model)
manager = tf.train.CheckpointManager(checkpoint=tracked, directory=directory, max_to_keep=max_to_keep)

# ---- restore_latest
newest = manager.latest_checkpoint
if newest:
    # the model and the optimizer as they were at the newest save
    manager.checkpoint.restore(newest)
path = newest if newest else None
