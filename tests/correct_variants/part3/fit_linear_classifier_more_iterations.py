"""More iterations and a tighter tolerance than asked: the same regularised optimum."""


def fit_linear_classifier(features, labels):
    classifier = sklearn.linear_model.LogisticRegression(max_iter=3000, tol=1e-6)
    return classifier.fit(features, labels)
