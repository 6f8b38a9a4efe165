"""Compiles with Adam() at its default rate, whatever learning_rate says.

loses: train_head_uses_its_arguments
"""


def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    model.compile(optimizer=tf.keras.optimizers.Adam(),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(images, labels, epochs=epochs, batch_size=batch_size, verbose=0)
