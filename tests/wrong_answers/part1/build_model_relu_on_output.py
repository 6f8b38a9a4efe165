"""Puts relu on the output layer too: a regression that can never predict a negative value.

loses: model_uses_dense_layer
"""


def build_model(input_dim, hidden_units=16):
    inputs = tf.keras.Input(shape=(input_dim,))
    hidden = DenseLayer(hidden_units, activation="relu")(inputs)
    outputs = DenseLayer(1, activation="relu")(hidden)
    return tf.keras.Model(inputs, outputs)
