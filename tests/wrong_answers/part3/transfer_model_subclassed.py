"""A subclassed model: fine TensorFlow, but the docstring asks for a functional model, whose
graph shows how the base is called (and the grader only scores Keras's own classes).

loses: transfer_model_trains_only_a_new_head transfer_model_calls_base_in_inference_mode head_reaches_accuracy_on_new_digits
"""


class TransferModel(tf.keras.Model):
    def __init__(self, base, num_classes):
        super().__init__()
        self.base = base
        self.dropout = tf.keras.layers.Dropout(0.2)
        self.head = tf.keras.layers.Dense(num_classes)

    def call(self, images, training=False):
        return self.head(self.dropout(self.base(images, training=False), training=training))


def build_transfer_model(base, num_classes=5):
    base.trainable = False
    return TransferModel(base, num_classes)
