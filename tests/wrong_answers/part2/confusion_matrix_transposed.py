"""Passes predictions first: rows become the predicted labels (the transpose).

loses: confusion_matrix_matches_numpy
"""


def confusion_matrix(model, images, labels, num_classes=10):
    predictions = np.argmax(model.predict(images, verbose=0), axis=1)
    return tf.math.confusion_matrix(predictions, labels, num_classes=num_classes).numpy()
