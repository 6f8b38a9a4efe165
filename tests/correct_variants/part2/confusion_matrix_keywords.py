"""Calls the model directly and passes tf.math.confusion_matrix's arguments by keyword."""


def confusion_matrix(model, images, labels, num_classes=10):
    predictions = tf.argmax(model(images, training=False), axis=1)
    matrix = tf.math.confusion_matrix(labels=labels, predictions=predictions,
                                      num_classes=num_classes)
    return matrix.numpy()
