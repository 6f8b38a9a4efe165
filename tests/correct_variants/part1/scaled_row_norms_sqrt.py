"""The norm as the root of a sum of squares; the signature as a tuple of specs."""


def make_scaled_row_norms():
    @tf.function(input_signature=(tf.TensorSpec((None, 3), tf.float32),
                                  tf.TensorSpec((), tf.float32)))
    def scaled_row_norms(x, scale):
        return tf.sqrt(tf.reduce_sum(x * x, axis=-1)) * scale

    return scaled_row_norms
