"""When a learner's file cannot be keyed by its names: the whole file is then every check's key.

Runs in the parent, beside dependencies.py, on the file's AST alone (never run); imports nothing
of TensorFlow. A check's key covers the names it takes and what they reach (dependencies.py).
That is sound only while the learner's code reaches nothing else: `why_unsure` names the first
construct that lets it reach names, files or settings its own names do not say:

- names looked up at run time: `globals()`, `vars()`, `eval`, `exec`, `compile`, `__import__`,
  `getattr(sys.modules[...])`, `importlib`, `inspect`, frames, `__dict__`, `__globals__`;
- files: `open`, `__file__`, `Path(...).read_text()`, `np.load(...)`, `load_model(...)` and
  the like, an import of the course's own folders (`import exercises...`), a relative or a star
  import (the grader's own files and data are the fingerprint's, store.py);
- module state rebound while checks run (`global`);
- a library's settings or the process's changed while a check runs (in a function's body):
  `tf.keras.backend.set_floatx(...)`, `tf.config.experimental.enable_...`, `np.x = ...`,
  `os.environ[...] = ...`, `sys.path.append(...)`, `os.chdir`. Checks graded again run without
  the checks kept from before, so such a change would reach them in a fresh grading only. Seeds
  and the eager switch are exempt: environment.reset_state sets them before every check. What
  runs at import is exempt too: it is in every key already.

The list is a best effort; the property test (tests/test_incremental.py) is its guard.
"""

import ast
import re

RESET_BEFORE_EACH_CHECK = {"set_seed", "set_random_seed", "seed", "run_functions_eagerly",
                           "clear_session"}  # environment.reset_state undoes them
SETTING = re.compile(r"(set|enable|disable)_\w+$")  # tf.config.set_..., keras.backend.set_floatx
DYNAMIC_CALLS = {"globals", "vars", "locals", "eval", "exec", "compile", "__import__", "setattr",
                 "delattr", "open", "breakpoint"}
DYNAMIC_NAMES = {"__file__", "__builtins__", "__loader__", "__spec__"}
DYNAMIC_ATTRIBUTES = {"__dict__", "__globals__", "__builtins__", "f_globals", "f_locals", "f_back",
                      "__code__", "__closure__", "__file__"}
FILE_READS = {"read_text", "read_bytes", "iterdir", "glob", "rglob", "listdir", "scandir", "walk",
              "load", "loadtxt", "genfromtxt", "fromfile", "read_file", "load_model", "load_weights",
              "read_csv"}  # `Path(...).read_text()`, `np.load(...)`: a file the key cannot cover
DYNAMIC_MODULES = ("sys.modules", "sys._getframe", "importlib", "inspect", "builtins", "gc", "ctypes",
                   "os.chdir", "os.putenv", "os.unsetenv")
SHARED_STATE = ("os.environ", "sys.path")  # a method call on them may change them


def module_aliases(tree):
    """{local name: dotted module it stands for}, from every import in the file."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(node, aliases):
    """"tensorflow.keras.backend.set_floatx" for `tf.keras.backend.set_floatx`, or None when
    the chain does not start at an imported module."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id], *reversed(parts)])
    return None


def why_unsure(tree, first_party):
    """Why a key must cover the whole file, or None: the first construct found that lets the
    learner's code reach names, files or settings it does not name. Code that runs at import is
    in every key already; code that runs while checks run (function bodies) must also leave
    shared settings alone, since checks graded again run without those kept from before."""
    aliases = module_aliases(tree)
    while_checks_run = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                        for body in ([f.body] if isinstance(f, ast.Lambda) else f.body) for n in ast.walk(body)}
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.ImportFrom) and (node.level or any(a.name == "*" for a in node.names)):
            return f"line {line}: a relative or star import"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            roots = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(r.split(".")[0] in first_party for r in roots):
                return f"line {line}: imports the course's own files"
        if isinstance(node, ast.Global):
            return f"line {line}: `global` changes module state while checks run"
        if isinstance(node, ast.Name) and (node.id in DYNAMIC_NAMES or node.id in DYNAMIC_CALLS):
            return f"line {line}: `{node.id}` reaches names or files at run time"
        if isinstance(node, ast.Attribute) and node.attr in DYNAMIC_ATTRIBUTES:
            return f"line {line}: `.{node.attr}` reaches names at run time"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FILE_READS:
            return f"line {line}: `.{node.func.attr}(...)` reads a file"
        name = dotted(node, aliases) if isinstance(node, (ast.Attribute, ast.Name)) else None
        if name and any(name == m or name.startswith(m + ".") for m in DYNAMIC_MODULES):
            return f"line {line}: `{name}` reaches modules or settings at run time"
        if id(node) in while_checks_run:
            changed = changes_settings(node, aliases)
            if changed:
                return f"line {line}: {changed}"
    return None


def changes_settings(node, aliases):
    """What a node inside a function changes of a library's or the process's state, or None."""
    if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
        target = dotted(node.value if isinstance(node, ast.Subscript) else node, aliases)
        if target:
            return f"changes `{target}`"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        name = dotted(node.func, aliases)
        if name and SETTING.search(name) and node.func.attr not in RESET_BEFORE_EACH_CHECK:
            return f"`{name}` changes a library's settings"
        owner = dotted(node.func.value, aliases)
        if owner in SHARED_STATE and node.func.attr not in ("get", "copy", "keys", "items", "values"):
            return f"`{owner}.{node.func.attr}` changes the process's settings"
    return None
