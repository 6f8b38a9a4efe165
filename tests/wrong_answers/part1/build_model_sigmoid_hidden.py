"""A sigmoid hidden layer instead of the relu the docstring asks for.

loses: model_uses_dense_layer
"""


def build_model(input_dim, hidden_units=16):
    inputs = tf.keras.Input(shape=(input_dim,))
    hidden = DenseLayer(hidden_units, activation="sigmoid")(inputs)
    return tf.keras.Model(inputs, DenseLayer(1)(hidden))
