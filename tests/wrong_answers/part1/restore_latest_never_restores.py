"""Finds the newest checkpoint but never restores it: the weights stay as they were changed.

loses: checkpoint_restores_latest
"""


def restore_latest(manager):
    return manager.latest_checkpoint
