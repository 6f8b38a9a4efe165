"""A signature, but a fresh Adam builds its variables inside the first trace, which then runs twice.

loses: train_step_traces_once
"""


def make_train_step(model, optimizer, loss_fn):
    image_spec = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)
    label_spec = tf.TensorSpec([None], tf.int64)

    @tf.function(input_signature=[image_spec, label_spec])
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step
