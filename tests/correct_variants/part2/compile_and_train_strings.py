"""Compiles with the optimizer's name and a loss object, and leaves fit's shuffle at its default
(Keras ignores it for a dataset)."""


def compile_and_train(model, train_ds, val_ds, epochs):
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile("adam", loss, metrics=["accuracy"])
    return model.fit(train_ds, epochs=epochs, validation_data=val_ds, verbose=0)
