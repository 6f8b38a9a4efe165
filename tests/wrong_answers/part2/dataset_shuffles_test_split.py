"""Shuffles whatever the split: the evaluation stream no longer lines up with its order.

loses: dataset_evaluation_keeps_order
"""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
