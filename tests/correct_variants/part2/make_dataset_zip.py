"""Zips a dataset of images with one of labels; a fixed prefetch buffer of 2."""


def make_dataset(images, labels, batch_size, training, seed=0):
    pairs = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(images),
                                 tf.data.Dataset.from_tensor_slices(labels)))
    if training:
        pairs = pairs.shuffle(images.shape[0], seed=seed, reshuffle_each_iteration=True)
    return pairs.batch(batch_size).prefetch(2)
