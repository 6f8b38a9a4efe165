"""The last of manager.checkpoints, restored with expect_partial."""


def restore_latest(manager):
    if not manager.checkpoints:
        return None
    path = manager.checkpoints[-1]
    manager.checkpoint.restore(path).expect_partial()
    return path
