"""Compiles with the loss's name: from_logits=False reads the logits as probabilities.

Its accuracy is chaotic (0.097-0.931 over 21 seeds at 8 epochs, 0.931 from the grader's seed):
the check of the compiled loss catches it, not the accuracy threshold.

loses: compile_and_train_history
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0)
