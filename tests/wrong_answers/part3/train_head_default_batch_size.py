"""Forgets batch_size: fit takes batches of 32, not the ones asked for.

loses: train_head_uses_its_arguments
"""


def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(images, labels, epochs=epochs, verbose=0)
