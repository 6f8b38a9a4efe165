"""Freezes all, then unfreezes the top layers that are not BatchNormalization; recompiles with
the loss the model was compiled with."""


def fine_tune(model, base, num_layers, head_learning_rate):
    base.trainable = True
    for layer in base.layers:
        layer.trainable = False
    for layer in base.layers[len(base.layers) - num_layers:]:
        if not isinstance(layer, tf.keras.layers.BatchNormalization):
            layer.trainable = True
    model.compile(optimizer=tf.keras.optimizers.Adam(head_learning_rate / 10), loss=model.loss,
                  metrics=["accuracy"])
    return model
