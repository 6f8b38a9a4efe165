"""Fakes a History with a falling loss instead of training.

base: reference
expect: train_model_lowers_loss: failed "the model's MSE after training / before should be at most"
expect: *: passed
"""


def train_model(model, x, y, epochs=20):
    history = tf.keras.callbacks.History()
    history.history = {"loss": [1.0 / (epoch + 1) ** 2 for epoch in range(epochs)]}
    return history
