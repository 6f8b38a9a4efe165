"""Fits the classifier on the digits themselves (5-9) instead of the labels it is given (0-4).

loses: linear_classifier_accuracy
"""


def fit_linear_classifier(features, labels):
    return sklearn.linear_model.LogisticRegression(max_iter=1000).fit(features, labels + 5)
