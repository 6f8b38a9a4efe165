"""Read an exception that a learner's code raised: its telling line, where, and what was called.

TensorFlow and Keras bury the line that explains an error. Keras wraps it:

    Exception encountered when calling DenseLayer.call().
    {{function_node __wrapped__MatMul_device_/job:localhost/...}} Matrix size-incompatible: In[0]: [2,4], In[1]: [5,4] [Op:MatMul] name:
    Arguments received by DenseLayer.call():
      • inputs=tf.Tensor(shape=(2, 4), dtype=float32)

and a tf.function puts it after a stack ("in user code: File ..., line 9, ..." or "Graph execution
error: Detected at node ... defined at ...: File ..."). `telling_line` picks the line that names
shapes or dtypes; `learner_location` finds the learner's line (in the traceback, or in the
message's stack for graph code); `learner_call` describes the outermost call into the learner's
code with its arguments' dtypes and shapes, or failing that the call Keras reports.

A frame is the learner's when it runs in their file, or with their globals (a notebook's cells, a
tf.function that AutoGraph converted from their code).
"""

import linecache
import re

from autograder.checkkit.wording import with_article

ANSI = re.compile(r"\x1b\[[0-9;]*m")
KERAS_WRAPPER = re.compile(r"^Exception encountered when calling .*$", re.MULTILINE)
KERAS_ARGUMENTS = re.compile(r"^Arguments received by (\S+?)\(\):\n((?:\s+• .*\n?)+)", re.MULTILINE)
KERAS_TENSOR = re.compile(r"tf\.Tensor\(shape=(\([^)]*\)), dtype=(\w+)\)"  # Keras's repr of a tensor,
                          r"|'?<KerasTensor shape=(\([^)]*\)), dtype=(\w+)[^>]*>'?")  # a symbolic one
STACK_LINE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<name>[\w<>.]+)', re.MULTILINE)
NOISE = [
    (re.compile(r"\{\{function_node [^}]*\}\}\s*"), ""),  # which device kernel ran the op
    (re.compile(r"for '\{\{node ([^}]+)\}\} = [^']*'"), r"in op \1"),  # the op's full attribute list
    (re.compile(r"\s*\[\[\{\{node [^}]*\}\}\]\]"), ""),
    (re.compile(r"\s*name: ?$"), ""),
]
SHAPES = re.compile(r"\[[\d?,\s]*\]|\((?:\d+|None)(?:,\s*(?:\d+|None))*,?\)|shape|dtype|rank", re.IGNORECASE)
# A tf.function's input_signature refusing an argument: TensorFlow says which spec could not be
# cast to which in its first sentence, then prints every argument's values (lines of numbers that
# name dtypes too, so the innermost-line rule below would keep their tail instead).
SPEC = r"TensorSpec\(shape=(?:\([^)]*\)|<unknown>), dtype=[\w.]+(?:, name=[^)]*)?\)"
SIGNATURE_REFUSED = re.compile(rf"Can not cast ({SPEC}) to ({SPEC})")
SKIPPED_LINES = ("in user code:", "Graph execution error:", "Detected at node", "Traceback (most recent")
LONGEST = 240


def message_text(error):
    try:
        return ANSI.sub("", str(error)).strip()
    except Exception:  # an exception class of the learner's whose __str__ raises
        return ""


def telling_line(error):
    """The one line of the error's message a learner needs: the one naming shapes or dtypes."""
    text = KERAS_ARGUMENTS.sub("", KERAS_WRAPPER.sub("", message_text(error)))
    refused = SIGNATURE_REFUSED.search(text)
    if refused:
        given, accepted = (spec.replace(", name=None", "") for spec in refused.groups())
        return f"Binding inputs to tf.function failed: Can not cast {given} to {accepted}"
    candidates = []
    lines = text.splitlines()
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line or line.startswith(SKIPPED_LINES) or STACK_LINE.match(line):
            continue
        if index > 0 and STACK_LINE.match(lines[index - 1]) and indent(raw) > indent(lines[index - 1]):
            continue  # the source line that a stack shows under its "File ..." line
        line = re.sub(r"^(\w+(Error|Exception)): ", "", line)  # TF repeats the type in its stack
        for pattern, replacement in NOISE:
            line = pattern.sub(replacement, line)
        candidates.append(line.strip())
    if not candidates:
        return ""
    # The last line naming shapes or dtypes is the innermost cause; else the first line.
    telling = [line for line in candidates if SHAPES.search(line)]
    line = (telling[-1] if telling else candidates[0]).rstrip(".")
    return line if len(line) <= LONGEST else line[: LONGEST - 3] + "..."


def indent(line):
    return len(line) - len(line.lstrip())


class LearnerCode:
    """Which frames of a traceback are the learner's: their file, or their globals."""

    def __init__(self, learner_file=None, objects=()):
        self.file = str(learner_file) if learner_file is not None else None
        self.namespaces = set()  # ids of the globals of the learner's functions and methods
        for value in objects:
            functions = list(vars(value).values()) if isinstance(value, type) else [value]
            self.namespaces.update(id(f.__globals__) for f in functions
                                   if isinstance(getattr(f, "__globals__", None), dict))

    def owns(self, frame):
        return frame.f_code.co_filename == self.file or id(frame.f_globals) in self.namespaces


def frames(error):
    """(frame, line number) of the error's traceback, outermost first."""
    found, tb = [], error.__traceback__
    while tb is not None:
        found.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return found


def is_generated(frame):
    """Code that AutoGraph wrote from the learner's function (its lines are not theirs)."""
    return "__autograph_generated_file" in frame.f_code.co_filename


def learner_location(error, learner):
    """(file name, line number, source line) of the innermost learner line the error passed
    through, or None. Graph code has no learner frame at the failing op; TensorFlow names the
    line in its message instead.
    """
    in_message = [m for m in STACK_LINE.finditer(message_text(error)) if m["file"] == learner.file]
    if in_message:
        filename, number = learner.file, int(in_message[-1]["line"])
    else:
        own = [(frame.f_code.co_filename, number) for frame, number in frames(error)
               if learner.owns(frame) and not is_generated(frame)]
        if not own:
            return None
        filename, number = own[-1]
    return filename, number, linecache.getline(filename, number).strip()


def learner_call(error, learner):
    """The outermost call into the learner's code, "DenseLayer.call(inputs=float32 tensor (2, 4))",
    or the call Keras reports in its message, or None (the error happened at import)."""
    own = [frame for frame, _ in frames(error) if learner.owns(frame)]
    if own and own[0].f_code.co_name != "<module>":
        return describe_call(own[0])
    reported = KERAS_ARGUMENTS.search(message_text(error))
    if reported:
        arguments = [a.strip().lstrip("• ") for a in reported[2].splitlines()]
        arguments = [KERAS_TENSOR.sub(as_tensor_description, a) for a in arguments
                     if a and not a.endswith(("=None", "=<class 'inspect._empty'>"))]
        return f"{reported[1]}({', '.join(arguments)})"
    return None


def learner_names(error, learner):
    """The top-level names (functions, classes) of the learner's code the error passed through,
    innermost first: DenseLayer for DenseLayer.call, make_train_step for the step it returns."""
    names = []
    for frame, _ in reversed(frames(error)):
        if learner.owns(frame) and not is_generated(frame) and frame.f_code.co_name != "<module>":
            name = frame.f_code.co_qualname.split(".")[0]
            if name not in names:
                names.append(name)
    return names


def as_tensor_description(match):
    shape, dtype = (match[1], match[2]) if match[1] else (match[3], match[4])
    return f"{dtype} tensor of shape {shape}"


def describe_call(frame):
    code = frame.f_code
    name = code.co_qualname.split(".<locals>.")[-1]
    name = re.sub(r"(^|\.)tf__", r"\1", name)  # AutoGraph's converted copy of the learner's function
    count = code.co_argcount + code.co_kwonlyargcount
    names = list(code.co_varnames[:count])
    if names and names[0] == "self":
        names = names[1:]
    arguments = [f"{n}={describe_value(frame.f_locals.get(n))}" for n in names if n in frame.f_locals]
    text = f"{name}({', '.join(arguments)})"
    return text if len(text) <= LONGEST else text[: LONGEST - 4] + "...)"


def describe_value(value):
    """A short, safe description: dtype and shape of arrays and tensors, the type of the rest."""
    try:
        if value is None or type(value) in (bool, int, float, str):
            text = repr(value)
            return text if len(text) <= 40 else text[:37] + "..."
        if type(value) in (list, tuple, dict):
            return f"{with_article(type(value).__name__)} of {len(value)}"
        module = type(value).__module__.split(".")[0]
        if module not in ("numpy", "tensorflow", "keras"):  # a learner's object: run none of its code
            return with_article(type(value).__name__)
        shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
        if shape is not None and dtype is not None:
            kind = "array" if module == "numpy" else "tensor"
            try:
                dims = str(tuple(shape))
            except (TypeError, ValueError):  # a TensorShape of unknown rank
                dims = "unknown"
            return f"{getattr(dtype, 'name', dtype)} {kind} of shape {dims}"
        return with_article(type(value).__name__)
    except Exception:  # a learner's object whose attributes raise
        return "an object"
