"""Updates the variables by hand with the wrong sign (gradient ascent): the fit diverges.

loses: fit_linear_recovers_parameters
"""


def fit_linear(x, y, epochs=100, learning_rate=0.1):
    model = LinearModel()
    for _ in range(epochs):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        for grad, variable in zip(grads, model.trainable_variables):
            variable.assign_add(learning_rate * grad)
    return model
