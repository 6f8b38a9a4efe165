"""Drops the last partial batch: a fixed batch dimension, and examples lost every epoch.

loses: dataset_batches_and_prefetches dataset_evaluation_keeps_order dataset_training_shuffles_every_epoch
"""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if training:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
