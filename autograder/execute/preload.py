"""What every grading process needs, imported once by the grader's fork server.

Runs in the fork server (supervise/fork_server.py), never beside learner code. `make grade`
forks one process per part from a server that has imported this module, so
TensorFlow is imported once per grading run instead of once per part and per restart (about 5 s
of CPU each on a 2-core machine). Importing is all that may happen here: no TensorFlow op, no
device query, no thread started, since a process that forks after TensorFlow's runtime has started
leaves its children to hang on locks held by threads they do not have.
"""

import ctypes
import gc
import importlib
import warnings

from autograder.checkkit import environment, registry

environment.quiet_tensorflow()  # before TensorFlow's first import, as everywhere

# A grading process's forks that outlive it (a learner's setsid() escapes the process-group kill)
# are adopted by this server, not by init, so the parent can find and end them
# (supervise/fork_server.py); the server reaps them without its "unexpected pid" warning.
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
warnings.filterwarnings("ignore", message="forkserver: waitpid returned unexpected pid")

# Everything a grading process may import from the grader and the course kit, now: once it is
# sandboxed it reads only their folders, and matplotlib's font list is loaded here, from the cache
# it already has, not rebuilt in every grading process's scratch folder.
COURSEKIT = ["coursekit.datafiles", "coursekit.digits", "coursekit.keras_datasets", "coursekit.pictures",
             "coursekit.pretrained", "matplotlib.font_manager"]
for module in ["pytest", "autograder.execute.plugin", "sklearn.linear_model", *COURSEKIT] + [
        f"autograder.checks.part{p}" for p in registry.PARTS]:
    try:  # a module that fails here fails again in the grading process, which reports it
        importlib.import_module(module)
    except Exception:
        pass

# Move everything imported so far out of the garbage collector's sight: a forked process that
# collected would otherwise write to (and so copy) every page holding these objects.
gc.freeze()
