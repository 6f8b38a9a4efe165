"""The kernel created as (units, input_dim): tf.matmul raises "Matrix size-incompatible".

loses: dense_layer_weights dense_layer_output model_uses_dense_layer
"""


class DenseLayer(tf.keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(self.units, input_shape[-1]),
                                      initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(tf.matmul(inputs, self.kernel) + self.bias)
