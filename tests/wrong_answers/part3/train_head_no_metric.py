"""Compiles without metrics: the History has no "accuracy", which the docstring promises.

loses: head_training_keeps_base_weights
"""


def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model.fit(images, labels, epochs=epochs, batch_size=batch_size, verbose=0)
