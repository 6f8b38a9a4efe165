"""Shuffles and batches correctly but never prefetches.

loses: dataset_batches_and_prefetches
"""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if training:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size)
