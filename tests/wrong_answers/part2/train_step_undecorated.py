"""A correct step that runs eagerly: no tf.function, about 10x slower.

loses: train_step_traces_once
"""


def make_train_step(model, optimizer, loss_fn):
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step
