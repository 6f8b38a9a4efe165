"""A plain Python step wrapped by tf.function(...) afterwards, weights as a list."""


def make_train_step(model, optimizer, loss_fn):
    weights = model.trainable_weights
    if not optimizer.built:
        optimizer.build(weights)

    def step(images, labels):
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = tf.reduce_mean(loss_fn(labels, logits))
        optimizer.apply_gradients(list(zip(tape.gradient(loss, weights), weights)))
        return loss

    return tf.function(step, input_signature=[
        tf.TensorSpec([None, *model.input_shape[1:]], tf.float32), tf.TensorSpec([None], tf.int64)])
