"""Compiles with a metric object named "accuracy" and fits with positional arguments."""


def train_head(model, images, labels, epochs, learning_rate=1e-3, batch_size=16):
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[tf.keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model.fit(images, labels, batch_size, epochs, verbose=0, shuffle=True)
