"""A catalogue of the TensorFlow and Keras errors learners meet, each with the sentence that
teaches its cause.

An error's own words name a symptom ("No gradients provided for any variable") far from its
cause (the loss computed after the tape's block). Each entry recognises one error by its type and
its message, and says what the learner misunderstood, in one sentence that fits any exercise;
learner_errors.py puts it first in the hint, before the exercise's own (which restates the
exercise's shapes and dtypes: kept after the sentence only where those are what the learner must
compare, `with_contract`). `more` is the longer explanation `make hint` gives as its second
level (hint_levels.py).

Recognised by names and text only: this module never imports TensorFlow (it words errors on
either side of the process boundary, and `make hint` reads them back from results.json). Each
entry has a test that raises the real error with real code (tests/test_known_errors.py). May
import nothing of the repository.
"""

import dataclasses
import re


@dataclasses.dataclass(frozen=True)
class KnownError:
    name: str
    types: tuple  # exception class names, any of the error's classes ("*": any, or a log line)
    pattern: re.Pattern  # searched in the error's message
    sentence: str  # the cause, taught in one sentence: the failure's hint
    more: str  # what to look for in one's code: `make hint`'s second level
    with_contract: bool = False  # does the exercise's hint (its shapes, dtypes) still help after it?


def entry(name, types, pattern, sentence, more, with_contract=False):
    return KnownError(name, tuple(types.split()), re.compile(pattern), sentence, more, with_contract)


CATALOGUE = [  # the first entry that matches wins: the narrower ones come first
    entry("no gradients", "ValueError", r"No gradients provided for any variable",
          "tape.gradient gave None for every variable, so there was nothing to apply: a tape "
          "records only what runs inside its `with` block, so the loss must be computed there, "
          "from the variables (through the model's output).",
          "find the line that computes the loss and move it, with the forward pass it uses, under "
          "`with tf.GradientTape() as tape:`. A loss computed after the block, or from values taken "
          "out of TensorFlow (.numpy(), NumPy, Python floats), has no recorded path back to the "
          "variables; only the call to tape.gradient belongs after the block."),
    entry("a symbolic tensor's value", "AttributeError NotImplementedError TypeError",
          r"'SymbolicTensor' object has no attribute 'numpy'|Cannot convert a symbolic tf\.Tensor"
          r"|of type 'SymbolicTensor'|Expected any non-tensor type, but got a tensor",
          "inside a tf.function tensors are symbolic: while TensorFlow traces the graph they have "
          "no value yet, so .numpy(), NumPy calls and tf.constant(tensor) cannot work there; "
          "compute on the tensor itself with TensorFlow ops and Python's operators (`x % 2 == 0`, "
          "`x > 1`), and AutoGraph turns a `while` or an `if` on it into graph ops.",
          "remove every .numpy(), np.* call and tf.constant(...) that receives a tensor from the "
          "decorated function. Its argument already is a tensor: compare it, divide it and add to "
          "it as it is, and a counter you start as a tensor stays one. Eager code (outside "
          "tf.function) may read values with .numpy(); graph code never can."),
    entry("a Python condition on a symbolic tensor", "OperatorNotAllowedInGraphError TypeError",
          r"Using a symbolic `tf\.Tensor` as a Python `bool`|Iterating over a symbolic `tf\.Tensor`",
          "a Python `if`, `while` or `for` on a tensor works in a graph only where AutoGraph "
          "rewrites it: in the decorated function and what it calls, with AutoGraph on; elsewhere "
          "the graph cannot decide a Python condition on a value it does not have yet.",
          "keep the loop and the branch in the function you decorate with @tf.function (no "
          "autograph=False), with conditions on tensors, so that AutoGraph makes them While and If "
          "ops; a condition on a Python value is decided once, while tracing."),
    entry("variables created in a tf.function", "ValueError",
          r"tf\.function only supports singleton tf\.Variables created on the first call",
          "a tf.function may create variables only on its first call: create tf.Variables, layers "
          "and optimizers (and build them) outside the decorated function, once, and only use "
          "them inside.",
          "look for tf.Variable(...), a new layer or a new optimizer inside the decorated "
          "function: each trace would make new ones. Make them before defining the function and "
          "let it refer to them."),
    entry("an input_signature that refuses its input", "TypeError",
          r"Binding inputs to tf\.function failed|Can not cast TensorSpec",
          "a tf.function's input_signature accepts only tensors of its specs' dtypes (it never "
          "casts) and of the shapes its specs allow (None where a size varies): write each "
          "tf.TensorSpec for what callers really pass.",
          "compare, spec by spec, the dtype and shape of each tf.TensorSpec in your "
          "input_signature with what the function receives (the docstring gives them): integer "
          "labels that arrive as int64 need an int64 spec, and a batch dimension that varies "
          "needs None.", with_contract=True),
    entry("mixed dtypes", "InvalidArgumentError TypeError",
          r"expected to be a \w+ tensor but is a \w+ tensor"
          r"|Input '\w+' of '\w+' Op has type \w+ that does not match type \w+",
          "TensorFlow never converts dtypes for you: both operands of an op must have the same "
          "dtype (1 is an int32 constant, 1.0 a float32 one); tf.cast one of them, or write the "
          "constant in the other's dtype.",
          "find the op the error names (AddV2 is +, Mul is *, FloorDiv is //) and look at the "
          "dtype of each of its operands: a Python float meeting an integer tensor, an int64 "
          "meeting an int32, a float64 NumPy array meeting float32. Make them one dtype.",
          with_contract=True),
    entry("matrix sizes", "InvalidArgumentError ValueError",
          r"Matrix size-incompatible|Dimensions must be equal, but are \d+ and \d+ .*MatMul",
          "in a matrix product the inner sizes must agree: (a, n) @ (n, b) gives (a, b).",
          "write the shape of each operand of the product beside the line the error names: the "
          "last size of the first must equal the first size of the second, and the result keeps "
          "the outer two.", with_contract=True),
    entry("incompatible shapes", "InvalidArgumentError ValueError",
          r"Incompatible shapes: \[|could not be broadcast together|Dimensions must be equal",
          "elementwise ops pair the two shapes' sizes from the right, and each pair must be equal "
          "or 1: a reduction keeps its axis (as size 1) only with keepdims=True.",
          "write the shape of each operand beside the line the error names and align them on the "
          "right: where two sizes differ and neither is 1, one of them lost or kept an axis it "
          "should not have (a reduction without keepdims, a missing channel axis, an argmax over "
          "the wrong axis).", with_contract=True),
    entry("an input the layer was not built for", "ValueError",
          r"is incompatible with the layer: expected",
          "a Keras layer builds its weights for the first input it sees and then accepts only "
          "inputs of that size, with the number of dimensions its kind wants (Conv2D: 4-D "
          "batches, (batch, height, width, channels)).",
          "compare the shape the error says the layer received with the one it expected: a "
          "missing batch or channel axis, a Flatten left out before a Dense layer, or one layer "
          "object reused on inputs of another size.", with_contract=True),
    entry("a layer that is not built", "ValueError",
          r"isn't built|has not been built|has never been called",
          "a Keras layer or model has no weights until it is built: give a Sequential an Input "
          "first (tf.keras.Input(shape=...)), or call it once on data, before counting or reading "
          "its weights.",
          "start the model from tf.keras.Input with the shape of one example (no batch size), so "
          "that every layer is built as the model is made; weights created in a layer's build() "
          "exist only after its first call."),
    entry("Keras 2's add_weight", "ValueError TypeError",
          r"must be passed as a keyword argument\. Received: add_weight"
          r"|add_weight\(\) got multiple values for argument",
          "Keras 3's add_weight takes keyword arguments only, "
          "add_weight(shape=..., initializer=..., name=...): Keras 2's add_weight(\"kernel\", ...) "
          "no longer works.",
          "give every argument of self.add_weight by name: the shape (a tuple), the initializer "
          "(a name such as \"zeros\") and the name."),
    entry("a Keras tensor in a TensorFlow function", "ValueError TypeError",
          r"A KerasTensor cannot be used as input to a TensorFlow function",
          "the tensors of a functional model (from tf.keras.Input) are symbolic Keras tensors: "
          "pass them through Keras layers only, not through tf.* functions.",
          "replace each tf.* call on a functional model's tensors by the Keras layer that does "
          "the same (an activation argument, tf.keras.layers.ReLU, Flatten, Rescaling), or put "
          "the computation inside a layer of your own."),
    entry("labels that do not fit the loss", "ValueError",
          r"Arguments `target` and `output` must have the same (?:rank|shape)"
          r"|Shapes \(.*\) and \(.*\) are incompatible",
          "integer labels, shape (batch,), go with a sparse loss (SparseCategoricalCrossentropy); "
          "CategoricalCrossentropy wants one-hot rows, shape (batch, num_classes).",
          "look at the labels' shape and the loss you compiled: one integer per example needs "
          "the sparse cross-entropy, and the model's last layer gives num_classes logits per "
          "example.", with_contract=True),
    entry("a tape used twice", "RuntimeError",
          r"A non-persistent GradientTape can only be used to compute one set of gradients",
          "a tape gives gradients once and then lets go of what it recorded: ask for every "
          "gradient in one call (a list of sources), or open it with persistent=True.",
          "count the calls to tape.gradient on one tape: a plain tape answers one, so pass all "
          "the sources you need as a list in that one call."),
    entry("the sandbox", "PermissionError",
          r"\[Errno (1|13)\] (Operation not permitted|Permission denied)",
          "while it is graded, your code runs in a sandbox: it may read only your own files, "
          "Python's and the grader's, write only in its working folder, and open no connection.",
          "look for what your code opens, writes or connects to beside your own file: data it "
          "reads must come from the exercise's arguments or the course's helpers (coursekit), a "
          "file it writes must go to a relative path (its working folder) or tempfile, and no "
          "download can work while it is graded (nor is one needed: the course works offline)."),
    entry("retracing", "*",
          r"triggered tf\.function retracing|the number of traces",
          "a tf.function traces a new graph for each new input shape, dtype or Python value it "
          "meets: pass tensors rather than Python numbers, and give it an input_signature with "
          "None where a size varies.",
          "list what the function is called with: each new batch size, each new Python number "
          "and each new dtype makes a new graph. An input_signature fixes one spec per argument "
          "(None for the sizes that vary), and anything a trace creates (an optimizer's slots) "
          "should exist before the first call."),
]


def classes(error):
    """The names of the error's classes, its own first (OperatorNotAllowedInGraphError is a
    TypeError)."""
    return [cls.__name__ for cls in type(error).__mro__]


def find(type_names, text):
    """The first entry whose types include one of `type_names` and whose pattern is in `text`."""
    names = set(type_names)
    return next((known for known in CATALOGUE
                 if ("*" in known.types or names & set(known.types)) and known.pattern.search(text)),
                None)


def for_error(error, text):
    """The entry for an exception (its `text`: the message, as tracebacks.py reads it), or None."""
    return find(classes(error), text)


RAISED = re.compile(r"raised (\w+)")


def for_message(message):
    """The entry for a grader's message from results.json ("your code raised ValueError: No
    gradients ..." or a check's own words), or None."""
    raised = RAISED.search(message)
    return find([raised[1]] if raised else ["CheckFailed"], message)
