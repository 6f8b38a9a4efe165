"""Notice and undo a learner's monkeypatching of what the grader relies on.

A learner's code runs in the grading process, so it can replace `numpy.allclose`, a pytest
function, `isinstance`, the grader's own functions or a tf.function's tracing counter. `Guard`
remembers every attribute of those modules and classes before the learner's file is imported;
after each check, `restore()` puts back whatever was replaced and says what it was, so the check
that saw the tampering scores zero and later checks run against the real functions.

This stops casual tampering, not a determined attacker (see the README's threat model).
"""

import builtins
import sys

GUARDED_PACKAGES = ("autograder", "numpy")  # with every submodule
GUARDED_MODULES = ("pytest", "_pytest.outcomes", "json", "signal", "os", "select")  # not pytest's
# internals: pytest itself swaps some of their globals during every test


def guarded_objects():
    """The modules and classes whose attributes are snapshotted."""
    import tensorflow as tf
    from tensorflow.python.eager.polymorphic_function import polymorphic_function

    objects = [builtins, polymorphic_function.Function, tf.config, tf.types.experimental]
    for name, module in list(sys.modules.items()):
        if module is not None and (name.split(".")[0] in GUARDED_PACKAGES or name in GUARDED_MODULES):
            objects.append(module)
            objects += [v for v in vars(module).values()
                        if isinstance(v, type) and getattr(v, "__module__", "") == name
                        and name.startswith("autograder")]
    return objects


class Guard:
    def __init__(self):
        self.snapshot = {id(o): (o, dict(vars(o))) for o in guarded_objects()}

    def restore(self):
        """Put back every replaced or deleted attribute; return their names.

        Added attributes are left alone: importing a submodule adds one to its package.
        """
        changed = []
        for owner, saved in self.snapshot.values():
            current = vars(owner)
            for name, original in saved.items():
                if current.get(name, _MISSING) is original or name in VOLATILE:
                    continue
                changed.append(f"{getattr(owner, '__name__', type(owner).__name__)}.{name}")
                try:
                    setattr(owner, name, original)
                except (AttributeError, TypeError):
                    pass  # a read-only slot: nothing to undo
        return sorted(changed)


_MISSING = object()
VOLATILE = {"__warningregistry__", "__loader__", "__spec__", "__cached__"}  # Python rewrites these
