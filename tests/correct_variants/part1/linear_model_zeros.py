"""Variables made from tf.zeros and tf.constant, with names and the trainable flag spelled out."""


class LinearModel(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.zeros([]), trainable=True, name="weight")
        self.b = tf.Variable(tf.constant(0.0), trainable=True, name="bias")

    def __call__(self, x):
        return self.w * x + self.b
