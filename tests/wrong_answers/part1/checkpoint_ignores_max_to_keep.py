"""Hard-codes max_to_keep=5 instead of passing the argument on.

loses: checkpoint_keeps_max_to_keep
"""


def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
    return tf.train.CheckpointManager(checkpoint, directory, max_to_keep=5)
