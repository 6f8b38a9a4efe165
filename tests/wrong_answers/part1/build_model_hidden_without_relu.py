"""The hidden DenseLayer lost its relu (issue 13's slip): two linear layers are one linear map.

loses: model_uses_dense_layer
"""


def build_model(input_dim, hidden_units=16):
    inputs = tf.keras.Input(shape=(input_dim,))
    hidden = DenseLayer(hidden_units)(inputs)
    outputs = DenseLayer(1)(hidden)
    return tf.keras.Model(inputs, outputs)
