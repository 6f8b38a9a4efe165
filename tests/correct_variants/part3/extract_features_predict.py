"""Keras's predict, which runs the base in inference mode."""


def extract_features(base, images):
    return base.predict(images, batch_size=64, verbose=0).astype(np.float32)
