"""A plain @tf.function: the last, smaller batch has a new shape and traces a second graph.

loses: train_step_traces_once
"""


def make_train_step(model, optimizer, loss_fn):
    if not optimizer.built:
        optimizer.build(model.trainable_variables)

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step
