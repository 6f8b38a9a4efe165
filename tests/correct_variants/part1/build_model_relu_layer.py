"""The relu as a layer of its own between the two DenseLayers, inside a nested Sequential."""


def build_model(input_dim, hidden_units=16):
    inputs = tf.keras.Input(shape=(input_dim,))
    block = tf.keras.Sequential([DenseLayer(hidden_units), tf.keras.layers.ReLU()], name="block")
    return tf.keras.Model(inputs, DenseLayer(1)(block(inputs)))
