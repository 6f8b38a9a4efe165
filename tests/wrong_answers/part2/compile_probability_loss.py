"""Compiles with the loss's name: from_logits=False reads the logits as probabilities.

Its accuracy is chaotic (0.097-0.931 over 21 seeds at 8 epochs; from the grader's seed 0.931
with oneDNN's operations on, 0.619 with them off, on the same CPU): the check of the compiled
loss catches it everywhere, the accuracy threshold only on some machines.

loses: compile_and_train_history
may also lose: cnn_test_accuracy
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0)
