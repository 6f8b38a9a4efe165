"""The model tracked under another name, every argument by keyword, a checkpoint name of its own."""


def make_checkpoint_manager(model, optimizer, directory, max_to_keep=3):
    checkpoint = tf.train.Checkpoint(optimizer=optimizer, net=model)
    return tf.train.CheckpointManager(checkpoint=checkpoint, directory=directory,
                                      max_to_keep=max_to_keep, checkpoint_name="ckpt")
