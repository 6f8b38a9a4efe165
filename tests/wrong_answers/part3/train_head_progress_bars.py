"""Fits the head as asked but with verbose=1: a progress bar per epoch, though the exercise asks
for a silent run.

loses: head_training_keeps_base_weights
"""


def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(images, labels, epochs=epochs, batch_size=batch_size, verbose=1)
