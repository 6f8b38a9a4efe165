"""Variables from Python floats (float32 by default), no names."""


class LinearModel(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(0.)
        self.b = tf.Variable(initial_value=0.0, dtype="float32")

    def __call__(self, x):
        return self.w * x + self.b
