"""Shuffles without the seed: two runs of the same code train on different orders.

loses: dataset_training_shuffles_every_epoch
"""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if training:
        dataset = dataset.shuffle(len(images))
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
