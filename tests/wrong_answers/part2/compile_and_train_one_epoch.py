"""Ignores the epochs argument and trains one epoch ("to save time").

loses: compile_and_train_history cnn_test_accuracy
"""


def compile_and_train(model, train_ds, val_ds, epochs):
    model.compile(optimizer=tf.keras.optimizers.Adam(),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model.fit(train_ds, epochs=1, validation_data=val_ds, shuffle=False, verbose=0)
