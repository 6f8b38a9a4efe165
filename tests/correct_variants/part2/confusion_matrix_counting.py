"""Counts the pairs in a NumPy loop instead of tf.math.confusion_matrix."""


def confusion_matrix(model, images, labels, num_classes=10):
    predictions = model.predict(images, verbose=0).argmax(axis=1)
    matrix = np.zeros((num_classes, num_classes), dtype=np.int32)
    for true, predicted in zip(labels, predictions):
        matrix[true, predicted] += 1
    return matrix
