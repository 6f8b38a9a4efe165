"""Trains as asked but with fit's default verbose: a progress bar per epoch, with its escape
codes, in the output and in a notebook's test cells.

loses: compile_and_train_history
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(optimizer=tf.keras.optimizers.Adam(),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False)
