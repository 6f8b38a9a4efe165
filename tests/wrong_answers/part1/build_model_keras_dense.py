"""Builds the model from Keras's own Dense layer instead of the learner's DenseLayer.

loses: model_uses_dense_layer
"""


def build_model(input_dim, hidden_units=16):
    inputs = tf.keras.Input(shape=(input_dim,))
    hidden = tf.keras.layers.Dense(hidden_units, activation="relu")(inputs)
    outputs = tf.keras.layers.Dense(1)(hidden)
    return tf.keras.Model(inputs, outputs)
