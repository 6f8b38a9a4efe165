"""What a check can learn about a tf.function or a Keras model without trusting the learner's code.

Measured on TF 2.21 (see ../shared/TF-FACTS.md): `experimental_get_tracing_count()` counts
traces and stays 0 under `run_functions_eagerly(True)`; a concrete function's top-level ops are
in `graph.get_operations()` and the bodies of loops and branches in the graph's function library.
"""

import tensorflow as tf

from autograder.checkkit.verdict import fail, short


def is_tf_function(candidate):
    """Is `candidate` a tf.function (and not a plain Python function)?"""
    return isinstance(candidate, tf.types.experimental.PolymorphicFunction)


def tracing_count(function):
    """How many times `function` has been traced so far."""
    return function.experimental_get_tracing_count()


def graph_op_types(function, *specs):
    """Every op type in the graph of `function` for `specs`, nested loop and branch bodies included."""
    concrete = function.get_concrete_function(*specs)
    types = {op.type for op in concrete.graph.get_operations()}
    for library_function in concrete.graph.as_graph_def().library.function:
        types.update(node.op for node in library_function.node_def)
    return types


def nested_layers(layer):
    """Every layer inside `layer` (Sequential and functional models opened), depth first."""
    found = []
    for inner in getattr(layer, "layers", []):
        found.append(inner)
        found += nested_layers(inner)
    return found


def fit_verbosity(history):
    """The `verbose` that the fit which returned `history` ran with: Keras records it in
    History.params (0, 1, 2, or "auto" when fit's default was left), or None when unknown."""
    params = getattr(history, "params", None)
    return params.get("verbose") if isinstance(params, dict) else None


def require_silent_fit(history):
    """Fail unless the fit that returned `history` ran with verbose=0, as every exercise that
    trains asks: progress bars fill the grader's output and a notebook's test cells."""
    __tracebackhide__ = True
    if fit_verbosity(history) != 0:
        fail("fit's verbose", should="0 (a silent run, as the exercise asks)",
             got=short(fit_verbosity(history)),
             hint="pass verbose=0 to fit: its progress bars fill the grader's output, and a "
             "notebook's test cells, with lines of escape codes.")
