"""Checkpoints the model only: the optimizer's step counter and moments are not restored.

loses: checkpoint_restores_latest
"""


def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    checkpoint = tf.train.Checkpoint(model=model)
    return tf.train.CheckpointManager(checkpoint, directory, max_to_keep=max_to_keep)
