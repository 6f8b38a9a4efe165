"""Leaves fit's verbose at its default: progress bars fill the output, though the exercise asks
for a silent run.

loses: train_model_lowers_loss
"""


def train_model(model, x, y, epochs=20):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model.fit(x, y, epochs=epochs, batch_size=32)
