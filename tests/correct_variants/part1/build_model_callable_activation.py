"""The activation as a function (tf.nn.relu), the layers named."""


def build_model(input_dim, hidden_units=16):
    features = tf.keras.Input(shape=[input_dim], name="features")
    hidden = DenseLayer(units=hidden_units, activation=tf.nn.relu, name="hidden")(features)
    prediction = DenseLayer(units=1, name="prediction")(hidden)
    return tf.keras.Model(inputs=features, outputs=prediction, name="regressor")
