"""The loss is computed after the tape's `with` block: the tape recorded nothing, every gradient
is None, and apply_gradients raises "No gradients provided for any variable".

loses: fit_linear_recovers_parameters
"""


def fit_linear(x, y, epochs=100, learning_rate=0.1):
    model = LinearModel()
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            predictions = model(x)
        loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return model
