"""CheckpointManager.restore_or_initialize, which restores the newest save and returns its path."""


def restore_latest(manager):
    return manager.restore_or_initialize()
