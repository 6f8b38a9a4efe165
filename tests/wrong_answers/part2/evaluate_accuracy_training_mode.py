"""Predicts with training=True: dropout stays on while evaluating.

loses: evaluate_accuracy_matches_numpy
"""


def evaluate_accuracy(model, images, labels):
    predictions = np.argmax(model(images, training=True), axis=1)
    return float(np.mean(predictions == labels))
