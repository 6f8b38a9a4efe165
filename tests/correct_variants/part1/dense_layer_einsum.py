"""Initialiser objects, weights named w and b, einsum for the product."""


class DenseLayer(tf.keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(name="w", shape=[int(input_shape[-1]), self.units],
                                      initializer=tf.keras.initializers.GlorotUniform())
        self.bias = self.add_weight(name="b", shape=[self.units],
                                    initializer=tf.keras.initializers.Zeros())

    def call(self, inputs):
        return self.activation(tf.einsum("bi,io->bo", inputs, self.kernel) + self.bias)
