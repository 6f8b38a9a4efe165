"""Make TensorFlow quiet and deterministic, before and after it is imported.

TensorFlow reads TF_CPP_MIN_LOG_LEVEL only at import time, and `import tensorflow` writes
~/.keras/keras.json unless KERAS_HOME points elsewhere, so `quiet_tensorflow()` must run before
the first `import tensorflow` in a grading process. nbgrader scores a test cell that writes to
stderr as failed, which is why every log channel is silenced here, the lines that some CPUs
print at import whatever the log level included (coursekit/quiet.py).
"""

import os
import pathlib
import random
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent  # the repository (or the grader-only tree)
SEED = 1234  # the grader's seed; every check starts from it
_state = {"seed": SEED}  # the latest reset_state's seed; mutated in place, never rebound, since
# integrity.Guard reports a rebound module global as tampering


def quiet_tensorflow():
    """Set the environment so that importing TensorFlow prints nothing; returns the module."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # 3 also hides the op-determinism line
    os.environ.setdefault("KERAS_HOME", str(ROOT / ".keras"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="keras")
    import absl.logging

    from coursekit.quiet import import_quietly

    tf = import_quietly("tensorflow")
    absl.logging.set_verbosity(absl.logging.ERROR)
    tf.get_logger().setLevel("ERROR")  # retracing warnings
    tf.autograph.set_verbosity(0)
    return tf


def reset_state(seed=SEED):
    """Put Python, NumPy, TensorFlow and Keras back to a known state before a check runs.

    Also undoes `tf.config.run_functions_eagerly(True)`, which would otherwise let an
    undecorated function pass for a traced one.
    """
    import numpy as np
    import tensorflow as tf

    _state["seed"] = seed
    tf.config.run_functions_eagerly(False)
    tf.keras.backend.clear_session(free_memory=False)  # names restart; the gc pass costs 0.4 s
    random.seed(seed)
    np.random.seed(seed)
    tf.keras.utils.set_random_seed(seed)  # seeds Python, NumPy, TF and the Keras initialisers


def current_seed():
    """The seed the running check started from (a test may grade with seeds other than SEED)."""
    return _state["seed"]
