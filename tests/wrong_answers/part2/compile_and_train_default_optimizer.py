"""Compiles without an optimizer: Keras then trains with RMSprop, not the Adam the docstring asks for.

loses: compile_and_train_history
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0)
