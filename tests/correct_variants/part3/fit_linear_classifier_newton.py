"""Another solver on a float64 copy: the same regularised optimum."""


def fit_linear_classifier(features, labels):
    model = sklearn.linear_model.LogisticRegression(solver="newton-cg", max_iter=1000)
    model.fit(np.asarray(features, dtype=np.float64), np.asarray(labels))
    return model
