"""A Sequential of the two DenseLayers."""


def build_model(input_dim, hidden_units=16):
    return tf.keras.Sequential([
        tf.keras.Input(shape=(input_dim,)),
        DenseLayer(hidden_units, activation="relu"),
        DenseLayer(1),
    ])
