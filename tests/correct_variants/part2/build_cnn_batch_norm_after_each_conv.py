"""BatchNormalization after each convolution (a textbook design): Conv2D without bias, then
BatchNormalization, then ReLU, twice; the rest as the reference."""


def build_cnn(input_shape=(8, 8, 1), num_classes=10):
    inputs = tf.keras.Input(shape=input_shape)
    x = inputs
    for filters in (32, 64):
        x = tf.keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = tf.keras.layers.BatchNormalization()(x)
        x = tf.keras.layers.Activation("relu")(x)
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Dropout(0.25)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(128, activation="relu")(x)
    x = tf.keras.layers.Dropout(0.5)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Dense(num_classes)(x))
