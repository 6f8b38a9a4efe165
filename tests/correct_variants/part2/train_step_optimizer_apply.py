"""Keras 3's optimizer.apply(gradients, variables), a fixed image shape in the signature."""


def make_train_step(model, optimizer, loss_fn):
    optimizer.build(model.trainable_variables)
    signature = (tf.TensorSpec(shape=(None, 8, 8, 1), dtype=tf.float32),
                 tf.TensorSpec(shape=(None,), dtype=tf.int64))

    @tf.function(input_signature=signature)
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        return loss

    return train_step
