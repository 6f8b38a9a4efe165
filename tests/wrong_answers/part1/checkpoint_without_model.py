"""Checkpoints the optimizer only: the trainable weights come back through the optimizer, which
knows them, but the model's other weights (BatchNormalization's statistics) are not saved.

loses: checkpoint_restores_latest
"""


def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    checkpoint = tf.train.Checkpoint(optimizer=optimizer)
    return tf.train.CheckpointManager(checkpoint, directory, max_to_keep=max_to_keep)
