"""Both slips at once: a fresh Adam builds its variables inside the first trace (which then runs
again), and without an input_signature the last, smaller batch traces a third graph.

loses: train_step_traces_once
"""


def make_train_step(model, optimizer, loss_fn):
    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step
