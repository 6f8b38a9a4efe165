"""A signature that accepts any number of columns, tf.linalg.norm, tf.function applied by call."""


def make_scaled_row_norms():
    def scaled_row_norms(x, scale):
        return tf.linalg.norm(x, axis=1) * scale

    return tf.function(scaled_row_norms, input_signature=[tf.TensorSpec([None, None], tf.float32),
                                                           tf.TensorSpec([], tf.float32)])
