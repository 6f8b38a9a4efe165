"""Copies a regularisation strength from elsewhere: C=1e-4 leaves the weights near zero.

loses: linear_classifier_accuracy
"""


def fit_linear_classifier(features, labels):
    return sklearn.linear_model.LogisticRegression(C=1e-4, max_iter=1000).fit(features, labels)
