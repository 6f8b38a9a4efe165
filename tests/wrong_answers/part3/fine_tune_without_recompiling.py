"""Changes trainable but never recompiles: fit keeps updating what compile fixed.

loses: fine_tune_unfreezes_top_layers_but_not_batch_norm fine_tune_lowers_learning_rate
"""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    for layer in base.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = False
    return model
