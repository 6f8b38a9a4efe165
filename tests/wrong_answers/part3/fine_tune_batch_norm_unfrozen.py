"""Unfreezes the top layers, BatchNormalization included.

loses: fine_tune_unfreezes_top_layers_but_not_batch_norm
"""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers[: len(base.layers) - num_layers]:
        layer.trainable = False
    model.compile(
        optimizer=tf.keras.optimizers.Adam(head_learning_rate / 10),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model
