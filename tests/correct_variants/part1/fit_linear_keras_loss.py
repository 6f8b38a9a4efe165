"""Keras's MeanSquaredError and optimizer.apply in a while loop."""


def fit_linear(x, y, epochs=100, learning_rate=0.1):
    model = LinearModel()
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    mse = tf.keras.losses.MeanSquaredError()
    epoch = 0
    while epoch < epochs:
        with tf.GradientTape() as tape:
            loss = mse(y, model(x))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        epoch += 1
    return model
