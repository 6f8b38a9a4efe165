"""Cuts the network with keyword arguments and its first input, found by index."""


def load_frozen_base():
    network = pretrained.load_base()
    features = network.get_layer(name=pretrained.FEATURE_LAYER).output
    base = tf.keras.Model(inputs=network.inputs[0], outputs=features)
    base.trainable = False
    return base
