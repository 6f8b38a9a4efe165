"""A subclassed tf.keras.Model: fine TensorFlow, but the grader cannot trust its call() to score it.

loses: cnn_has_convolution_within_budget cnn_test_accuracy
"""


class DigitsCNN(tf.keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.conv = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")
        self.pool = tf.keras.layers.MaxPooling2D(2)
        self.flatten = tf.keras.layers.Flatten()
        self.hidden = tf.keras.layers.Dense(128, activation="relu")
        self.logits = tf.keras.layers.Dense(num_classes)

    def call(self, images, training=False):
        return self.logits(self.hidden(self.flatten(self.pool(self.conv(images)))))


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    model = DigitsCNN(num_classes)
    model.build((None, *input_shape))
    return model
