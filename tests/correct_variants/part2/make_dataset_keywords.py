"""Every argument by keyword; shuffle's reshuffle_each_iteration left at its default (True)."""


def make_dataset(images, labels, batch_size, training, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices(tensors=(images, labels))
    if training:
        dataset = dataset.shuffle(buffer_size=len(labels), seed=seed)
    dataset = dataset.batch(batch_size=batch_size, drop_remainder=False)
    return dataset.prefetch(buffer_size=tf.data.AUTOTUNE)
