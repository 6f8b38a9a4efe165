"""The @ operator and tf.nn.bias_add; the activation applied only when there is one."""


class DenseLayer(tf.keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = None if activation is None else tf.keras.activations.get(activation)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(shape=(input_dim, self.units), initializer="glorot_uniform",
                                      trainable=True, name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True,
                                    name="bias")

    def call(self, inputs):
        outputs = tf.nn.bias_add(inputs @ self.kernel, self.bias)
        return outputs if self.activation is None else self.activation(outputs)
