"""A Sequential of the loaded network's own layers up to "flatten": the same layer objects, so
the same pretrained weights; every layer frozen one by one, and the model too."""


def load_frozen_base():
    network = pretrained.load_base()
    names = [layer.name for layer in network.layers]
    keep = network.layers[1:names.index(pretrained.FEATURE_LAYER) + 1]
    base = tf.keras.Sequential([tf.keras.Input(shape=(8, 8, 1)), *keep], name="digits_features")
    for layer in base.layers:
        layer.trainable = False
    base.trainable = False
    return base
