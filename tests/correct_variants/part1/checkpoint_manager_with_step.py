"""A step counter tracked beside the model and the optimizer."""


def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    checkpoint = tf.train.Checkpoint(step=tf.Variable(0), model=model, optimizer=optimizer)
    return tf.train.CheckpointManager(checkpoint, directory, max_to_keep)
