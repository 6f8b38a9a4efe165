"""Measure what a TensorFlow grading process needs inside the sandbox (autograder/execute/sandbox.py).

    PYTHONPATH=$PWD TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python scripts/probe_sandbox.py [--cost N]

Like `make grade` (autograder/supervise/), each grading-like process is forked from a multiprocessing
fork server that imported TensorFlow and scikit-learn; it confines itself first, then runs what
learners' code and the checks do: import a learner's file by path, a tf.function whose Python
`while` over a tensor AutoGraph must convert (it reads the file's source), Keras compile/fit,
.keras save/load, tf.train.Checkpoint save/restore, matplotlib savefig, tempfile.mkstemp,
scikit-learn fit (also with n_jobs=2), a multiprocessing pool. Each trial drops one candidate
path or environment variable from the full set and says which steps break: what is left is what
a grading process needs. --cost N: the time confine() takes in N processes forked from the server,
and what Landlock adds to imports that read thousands of files.
"""

import argparse
import multiprocessing
import os
import pathlib
import statistics
import sys
import tempfile
import time

from autograder.execute import sandbox

LEARNER_FILE = '''
import tensorflow as tf


@tf.function
def count_down(n):
    total = tf.constant(0)
    while n > 0:  # a Python while over a tensor: only AutoGraph makes it a graph loop
        total += n
        n -= 1
    return total
'''
SCRATCH_VARIABLES = ("TMPDIR", "HOME", "MPLCONFIGDIR", "KERAS_HOME")
FULL_READ = [os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), "/usr", "/lib", "/lib64",
             "/etc", "/proc", "/sys", "/dev"]
FINE_READ = FULL_READ[:5] + [  # the same, the last four folders split into the entries that may matter
    "/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
    "/proc/self", "/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/sys/devices/system/cpu",
    "/sys/fs/cgroup", "/dev/urandom", "/dev/random", "/dev/zero"]


def steps(scratch, submission):
    """(name, function) for each thing a grading process does; each returns a short note."""
    import tensorflow as tf

    state = {}

    def learner_file():
        import importlib.util
        spec = importlib.util.spec_from_file_location("submission_probe", submission / "learner.py")
        state["learner"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)

    def autograph_while():
        graph = state["learner"].count_down.get_concrete_function(tf.constant(5)).graph
        ops = {op.type for op in graph.get_operations()}
        assert ops & {"While", "StatelessWhile"}, f"no While op: {sorted(ops)}"
        assert int(state["learner"].count_down(tf.constant(5))) == 15

    def keras_fit():
        import numpy as np
        x, y = np.random.rand(256, 8).astype("float32"), np.random.rand(256, 1).astype("float32")
        state["model"] = model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu"),
                                                      tf.keras.layers.Dense(1)])
        model.compile("adam", "mse")
        begin = time.perf_counter()
        model.fit(x, y, epochs=3, batch_size=32, verbose=0)
        return f"fit {time.perf_counter() - begin:.2f} s"

    def keras_file():
        path = scratch / "model.keras"
        state["model"].save(path)
        tf.keras.models.load_model(path)

    def checkpoint():
        model = state["model"]
        saved = tf.train.Checkpoint(model=model, optimizer=model.optimizer).save(str(scratch / "ckpt" / "c"))
        tf.train.Checkpoint(model=model, optimizer=model.optimizer).restore(saved).assert_consumed()

    def savefig():
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        figure, axes = plt.subplots()
        axes.plot([1, 2, 3])
        axes.set_title("probe")
        figure.savefig(scratch / "plot.png")

    def mkstemp():
        fd, path = tempfile.mkstemp()
        os.close(fd)
        assert path.startswith(str(scratch)), path
        return path

    def sklearn_fit():
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        x = np.random.rand(200, 4)
        LogisticRegression().fit(x, x[:, 0] > 0.5)

    def sklearn_jobs():
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score
        x = np.random.rand(200, 4)
        cross_val_score(LogisticRegression(), x, x[:, 0] > 0.5, cv=3, n_jobs=2)

    def multiprocessing_pool():
        with multiprocessing.get_context("fork").Pool(2) as pool:
            assert pool.map(abs, [-1, -2]) == [1, 2]

    def fork_server_socket():
        import socket
        from multiprocessing import forkserver
        address = forkserver._forkserver._forkserver_address  # whoever connects has code run unconfined
        try:
            socket.socket(socket.AF_UNIX).connect(address)
        except PermissionError as refused:
            return f"refused as it must be: {refused.strerror}"
        raise AssertionError(f"the fork server's socket {address} was reached")

    def threads_seen():
        return f"cpu_count {os.cpu_count()}, affinity {len(os.sched_getaffinity(0))}"

    return [("learner file", learner_file), ("autograph while", autograph_while), ("keras fit", keras_fit),
            ("keras save/load", keras_file), ("checkpoint", checkpoint), ("savefig", savefig),
            ("mkstemp", mkstemp), ("sklearn fit", sklearn_fit), ("sklearn n_jobs=2", sklearn_jobs),
            ("multiprocessing pool", multiprocessing_pool), ("fork server socket", fork_server_socket),
            ("cpus", threads_seen)]


def grading_like_process(trial, writer):
    """In the forked process: confine, point the environment into scratch, run every step."""
    scratch, submission = pathlib.Path(trial["scratch"]), pathlib.Path(trial["submission"])
    os.dup2(os.open(scratch / "stderr.txt", os.O_WRONLY | os.O_CREAT, 0o600), 2)
    known_modules = set(sys.modules)
    begin = time.perf_counter()
    description = sandbox.confine(read=trial["read"] + [str(submission)], read_write=[str(scratch), "/dev/null"])
    results = {"sandbox": description, "confine ms": round((time.perf_counter() - begin) * 1000, 2),
               "tempdir before": tempfile.tempdir}
    for name in SCRATCH_VARIABLES:
        if name in trial["env"]:
            os.environ[name] = str(scratch / name.lower())
            os.makedirs(os.environ[name], exist_ok=True)
    if not trial.get("keep_tempdir"):
        tempfile.tempdir = None  # the fork server settled it already (/tmp): TMPDIR must count
    os.chdir(scratch)
    for name, step in steps(scratch, submission):
        begin = time.perf_counter()
        try:
            note = step()
            results[name] = f"ok {time.perf_counter() - begin:.2f} s" + (f" ({note})" if note else "")
        except BaseException as error:
            results[name] = f"FAILED {type(error).__name__}: {str(error)[:160]}"
    results["modules imported after confine"] = len(set(sys.modules) - known_modules)
    writer.send(results)


def run_trial(context, read, env, label, keep_tempdir=False):
    with tempfile.TemporaryDirectory(prefix="probe-scratch-") as scratch, \
            tempfile.TemporaryDirectory(prefix="probe-submission-") as submission:
        (pathlib.Path(submission) / "learner.py").write_text(LEARNER_FILE)
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=grading_like_process, args=(
            dict(scratch=scratch, submission=submission, read=read, env=env, keep_tempdir=keep_tempdir), writer))
        begin = time.monotonic()
        process.start()
        writer.close()
        try:
            results = reader.recv()
        except EOFError:
            results = {"process": "died"}
        process.join()
        stderr = (pathlib.Path(scratch) / "stderr.txt").read_text(errors="replace").strip().splitlines()
    results["wall s"] = round(time.monotonic() - begin, 1)
    results["stderr"] = [line[:160] for line in stderr[-6:]]
    print(f"\n## {label}", flush=True)
    for key, value in results.items():
        print(f"  {key}: {value}", flush=True)
    return results


def failures(results):
    if "process" in results:
        return [f"the process died: {' / '.join(results['stderr'][-2:])}"]
    return sorted(k for k, v in results.items() if isinstance(v, str) and v.startswith("FAILED"))


def probe(context):
    """Drop candidates one at a time, keeping each drop that breaks nothing the full set ran."""
    everything = list(SCRATCH_VARIABLES)
    allowed = set(failures(run_trial(context, FULL_READ, everything, "all candidate paths, every variable")))
    summary, needed = [], list(FINE_READ)
    for path in FINE_READ:
        trial = [p for p in needed if p != path]
        broken = failures(run_trial(context, trial, everything, f"without {path}"))
        summary.append((f"without {path}", [b for b in broken if b not in allowed]))
        if set(broken) <= allowed:
            needed = trial
    for name in SCRATCH_VARIABLES:
        env = [n for n in everything if n != name]
        broken = failures(run_trial(context, needed, env, f"minimal paths, {name} not set"))
        summary.append((f"without {name}", [b for b in broken if b not in allowed]))
    broken = failures(run_trial(context, needed, everything, "minimal paths, tempfile.tempdir as the server left it",
                                keep_tempdir=True))
    summary.append(("tempfile.tempdir not reset", [b for b in broken if b not in allowed]))
    run_trial(context, needed, everything, f"minimal paths: {needed}")
    print(f"\n## Summary (the full set fails only: {', '.join(sorted(allowed)) or 'nothing'})")
    for label, broken in summary:
        print(f"  {label}: {'breaks ' + ', '.join(broken) if broken else 'nothing more breaks'}")
    print(f"  needed: {needed}")


def confine_and_time(writer, then_import=False):
    """confine()'s seconds; with then_import, those of importing modules the server had not
    (thousands of file lookups, each checked by Landlock when confined) instead."""
    begin = time.perf_counter()
    if then_import != "unconfined":
        sandbox.confine(read=FULL_READ, read_write=[tempfile.gettempdir(), "/dev/null"])
    if then_import:
        begin = time.perf_counter()
        import matplotlib.pyplot  # noqa: F401
        import scipy.stats  # noqa: F401
        import sklearn.ensemble  # noqa: F401
    writer.send(time.perf_counter() - begin)


def timed(context, count, then_import=False):
    seconds = []
    for _ in range(count):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=confine_and_time, args=(writer, then_import))
        process.start()
        writer.close()
        seconds.append(reader.recv())
        process.join()
    seconds.sort()
    return (f"median {statistics.median(seconds) * 1000:.2f} ms, p95 {seconds[int(0.95 * (count - 1))] * 1000:.2f} ms, "
            f"max {seconds[-1] * 1000:.2f} ms")


def cost(context, count):
    """confine()'s time in `count` processes forked from the TensorFlow fork server, and what
    Landlock adds to file lookups: a few imports, confined and not, alternately."""
    print(f"confine() in {count} forked processes: {timed(context, count)}", flush=True)
    for then_import in ["unconfined", "confined"] * 2:
        print(f"importing matplotlib.pyplot, scipy.stats, sklearn.ensemble, {then_import}, 5 processes: "
              f"{timed(context, 5, then_import)}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cost", type=int, default=0, help="only time confine() in N forked processes")
    args = parser.parse_args()
    print("available():", sandbox.available())
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tensorflow", "sklearn.linear_model"])
    if args.cost:
        cost(context, args.cost)
    else:
        probe(context)


if __name__ == "__main__":
    main()
