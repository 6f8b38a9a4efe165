"""Recompiles at a tenth of the rate but with SparseCategoricalCrossentropy() (from_logits=False),
which reads the head's logits as probabilities.

loses: fine_tune_lowers_learning_rate
"""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    model.compile(optimizer=tf.keras.optimizers.Adam(head_learning_rate / 10),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    return model
