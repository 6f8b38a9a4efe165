"""Compiles with the loss's name: from_logits=False reads the logits as probabilities.

loses: compile_and_train_history cnn_test_accuracy
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(train_ds, validation_data=val_ds, epochs=epochs, shuffle=False, verbose=0)
