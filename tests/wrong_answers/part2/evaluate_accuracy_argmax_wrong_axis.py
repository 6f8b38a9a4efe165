"""Takes the arg max over the images (axis 0) instead of the classes: NumPy cannot compare 10
predictions with 360 labels.

loses: evaluate_accuracy_matches_numpy
"""


def evaluate_accuracy(model, images, labels):
    logits = model.predict(images, verbose=0)
    predictions = np.argmax(logits, axis=0)
    return float(np.mean(predictions == np.asarray(labels)))
