"""Batches first, then shuffles: whole batches change places, the same images always meet.

loses: dataset_training_shuffles_every_epoch
"""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size)
    if training:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.prefetch(tf.data.AUTOTUNE)
