"""The input_signature says int32 for the labels, which arrive as int64: calling the step raises
TypeError ("Can not cast ... int64 ... to ... int32").

loses: train_step_lowers_loss train_step_traces_once train_step_uses_training_mode
"""


def make_train_step(model, optimizer, loss_fn):
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    image_spec = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)
    label_spec = tf.TensorSpec([None], tf.int32)

    @tf.function(input_signature=[image_spec, label_spec])
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step
