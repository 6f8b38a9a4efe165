"""Recompiles with the string loss "sparse_categorical_crossentropy", which reads the head's
logits as probabilities (from_logits=False), at Adam's default learning rate.

loses: fine_tune_lowers_learning_rate fine_tune_keeps_accuracy
"""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
