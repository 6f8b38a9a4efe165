"""Changes trainable but never recompiles: the optimizer that trained the head knows only the
head's weights, so the next fit fails, and the learning rate stays the head's.

loses: fine_tune_unfreezes_top_layers_but_not_batch_norm fine_tune_lowers_learning_rate fine_tune_keeps_accuracy
"""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    return model
