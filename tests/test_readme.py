"""The READMEs as a new user meets them: every command they show is run here, as written.

README.md's commands, and those of the student repository's README (`make student-repo`), run on
a scratch copy of the repository (its files as a clone would have them, the checkout's .venv
linked; nothing in the checkout changes), and what the text promises is checked: exit statuses,
the files written, the lines it quotes. Commands that take minutes run with a smaller budget:
`make test` with one test selected, `make flake-check` on Part 1 with two seeds, `make bench` on
its shortest section. `make release` (which grades the reference first) is run end to end by
tests/test_nbgrader_course.py, whose source is checked here to run it; here the walk-through
releases with VALIDATE=0, then runs every other step with the real nbgrader.

When a README changes, this test follows: it lists every command-looking span of both READMEs
(each command line of a shell block, each `make <target>` of another block, each code span that
starts like a command) and fails on one that COMMANDS does not map to the test that runs it.
"""

import contextlib
import csv
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import zipfile

import numpy as np
import pytest
from test_readme_sample import DONE, comparable, sample_submission

from autograder.checkkit import registry
from autograder.checks import checks_for
from conftest import ROOT
from handout import student_repo

pytestmark = pytest.mark.slow

# Every command the READMEs show, as written, under the test here that runs it. A command that is
# only named (what a target runs, not what to type) is checked against what really runs it.
LEARNER_COMMANDS = ("make grade", "make grade PART=1", "make grade PART=2", "make try PART=1",
                    "make grade SUBMISSION=path/to/folder",
                    "make grade PART=1 SUBMISSION=path/to/mywork.py", "make grade FRESH=1",
                    "make watch PART=1", "make watch", "make progress")  # in both READMEs
HINT_COMMANDS = ("make hint EX=<exercise>",)  # in both READMEs too
DIRECT_COMMANDS = (".venv/bin/python exercises/part2_cnn.py",)  # in both READMEs too
RUN_BY = {
    "run_learner_commands": LEARNER_COMMANDS,
    "test_an_exercise_file_runs_on_its_own_after_make_install": DIRECT_COMMANDS,
    "test_make_hint_gives_each_level_then_none": HINT_COMMANDS,
    "test_learner_commands_in_the_student_repository": ("make student-repo",),
    "test_a_target_without_its_variable_says_how_to_call_it": ("make try", "make grade-batch", "make hint"),
    "test_make_help_lists_every_target_the_readme_names": ("make help",),
    "test_make_test_test_quick_and_ci_run_the_tests": ("make test", "make test-quick", ".ci/run"),
    "test_a_first_command_installs_into_a_fresh_venv": ("make install",
                                                        "make grade TENSORFLOW=tensorflow==2.21.0"),
    "test_make_exercises_regenerates_the_committed_files": ("make exercises",),
    "test_make_grader_data_rebuilds_the_committed_data": ("make grader-data",),
    "test_make_pretrained_rebuilds_the_base_reproducibly": ("make pretrained",),
    "test_make_release_is_run_by_the_nbgrader_end_to_end_test": ("make release",),
    "test_nbgrader_walk_through": (
        "nbgrader fetch_assignment part1 --course tf2-course",
        "nbgrader submit part1 --course tf2-course --student <their id>",
        "make collect", "make autograde", "make feedback", "nbgrader fetch_feedback", "make export",
        "nbgrader autograde",  # what make autograde hands its results to
        "nbgrader",  # "any nbgrader command also works by hand from course/"
        "make grade SUBMISSION=<a learner's part1_tf2_basics.ipynb>", "make formgrader"),
    "test_the_engine_named_is_what_grades": ("python -m autograder",),
    "test_make_gradescope_writes_one_zip_per_part": ("make gradescope",),
    "test_make_grade_batch_grades_a_class": ("make grade-batch SUBMISSIONS=<folder> [JOBS=n]",),
    "test_grade_batch_on_a_dask_cluster_and_cold": (
        "make dask-scheduler", "make dask-worker SCHEDULER=tcp://host:8786",
        "make grade-batch SUBMISSIONS=<folder> SCHEDULER=tcp://host:8786",
        ".venv/bin/python -m classroom.batch <folder> --cold"),
    "test_dask_commands_named_are_what_the_targets_run": (
        "dask scheduler --port 8786", "dask worker tcp://host:8786 --nthreads 1 --nworkers N"),
    "test_make_flake_check_on_part_1_with_two_seeds": ("make flake-check",),
    "test_make_bench_measures_one_section": ("make bench",),
    "test_make_grade_jobs_one_grades_one_part_at_a_time": ("make grade JOBS=1",),
    "test_after_grading_a_class": ("make class-report", "make similarity SUBMISSIONS=<folder>",
                                   "make export-lms LMS=canvas"),
    "test_leaderboard_entries_from_a_graded_part_2": (".venv/bin/python -m autograder.feedback.leaderboard <results.json>",
                                                      "make gradescope LEADERBOARD=1"),
}
COMMANDS = {command: test for test, commands in RUN_BY.items() for command in commands}

# ---------------------------------------------------------------- what the READMEs show
SHELL_BLOCK = ("sh", "bash", "shell", "console")
FENCE = re.compile(r"^[ \t]*```(\w*)[^\n]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
LOOKS_LIKE_A_COMMAND = re.compile(
    r"(?:make|python3?|nbgrader|dask|jupyter|pip|git|bash)\b(?![-.])|\.venv/bin/|\.ci/run")
MAKE_MENTION = re.compile(r"\bmake [a-z][\w-]*(?: [A-Z_]+=[^\s`),;]+)*")


def shown_commands(markdown):
    """Every command-looking span of a README, whitespace collapsed: each command line of a shell
    block, each `make <target> [VAR=value ...]` in another block (Python's excepted), each code
    span in the text that starts like a command."""
    found = set()
    for language, body in FENCE.findall(markdown):
        if language in SHELL_BLOCK:
            for line in body.splitlines():
                line = line.strip().removeprefix("$ ").split(" #")[0]
                if LOOKS_LIKE_A_COMMAND.match(line):
                    found.add(" ".join(line.split()))
        elif language != "python":
            found.update(MAKE_MENTION.findall(body))
    for span in re.findall(r"`([^`]+)`", FENCE.sub("", markdown)):
        if LOOKS_LIKE_A_COMMAND.match(span):
            found.add(" ".join(span.split()))
    return found


def student_readme_text():
    makefile = (ROOT / "handout" / "templates" / "student.mk").read_text()
    return student_repo.learner_readme(ROOT, student_repo.makefile_targets(makefile))


READMES = {"README.md": lambda: (ROOT / "README.md").read_text(),
           "the student repository's README": student_readme_text}


@pytest.mark.parametrize("readme", READMES)
def test_every_command_shown_is_run_here(readme):
    """Does COMMANDS map every command the README shows to a test here that runs it?"""
    missing = sorted(shown_commands(READMES[readme]()) - set(COMMANDS))
    assert not missing, "\n".join(f"{readme} shows `{command}` but tests/test_readme.py does not run "
                                  "it: add it to COMMANDS with the test that runs it" for command in missing)
    assert set(RUN_BY) <= set(globals()), set(RUN_BY) - set(globals())


def test_the_extractor_finds_commands_where_readmes_show_them():
    """Does shown_commands find a command in a shell block (comment cut), a `make` target named in
    a text block, a code span over two lines, and nothing in a Python block or in a file name?"""
    markdown = ("```sh\nmake grade    # grades\n$ .ci/run\n```\n\n```text\nlayout/  (make exercises)\n```\n\n"
                "```python\nmake = 1\n```\n\nRun `make grade-batch SUBMISSIONS=<folder>\n   [JOBS=n]`, "
                "not `nbgrader_config.py`, `python-dateutil` or `.venv`.\n")
    assert shown_commands(markdown) == {"make grade", ".ci/run", "make exercises",
                                        "make grade-batch SUBMISSIONS=<folder> [JOBS=n]"}


def test_student_readme_names_only_its_makefiles_targets():
    """Does the student repository's README name only targets its own Makefile has?"""
    makefile = (ROOT / "handout" / "templates" / "student.mk").read_text()
    named = {command.split()[1] for command in shown_commands(student_readme_text())
             if command.startswith("make ")}
    assert "grade" in named and named <= student_repo.makefile_targets(makefile), named


# ---------------------------------------------------------------- running them
INHERITED = ("PYTHONPATH", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL", "VIRTUAL_ENV", "PYTEST_ADDOPTS",
             "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTHONDONTWRITEBYTECODE")
VENV = (ROOT / ".venv").resolve()


def user_env(scratch, **extra):
    """A new user's shell: none of this test run's settings, no virtual environment on PATH, and
    everything tools keep in a home folder (Jupyter, Matplotlib, Dask, temporary files) kept in
    `scratch`."""
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not p.startswith((str(VENV), str(ROOT / ".venv"))))
    home = scratch / "home"
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR", "DASK_CONFIG", "TMPDIR"):
        env[name] = str(home / name.lower())
        (home / name.lower()).mkdir(parents=True, exist_ok=True)
    return dict(env, **extra)


def filled(command, fill):
    """The README's command with its placeholders (`<folder>`, `[JOBS=n]`, `path/to/...`) filled."""
    for placeholder, value in fill.items():
        assert placeholder in command, (placeholder, command)
        command = command.replace(placeholder, str(value))
    assert not re.search(r"<[^>]*>|\[[A-Z]+=|path/to/", command), f"unfilled placeholder: {command}"
    return command


def run(command, cwd, env, fill=None, program=None, timeout=600, expect=0):
    """Run `command` as the README writes it (placeholders filled, its first word `program` where
    given: the README says where nbgrader is); check its exit status."""
    command = filled(command, fill or {})
    args = shlex.split(command)
    args[0] = program or args[0]
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == expect, (f"`{command}` exited {result.returncode}\n"
                                         f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def copy_repository(dest):
    """The repository's files as a clone would have them (tracked, and new files not ignored),
    with the checkout's .venv linked; requirements older than .venv, as after `make install`, so
    that make never reinstalls into the shared .venv."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, dest / name)
    (dest / ".venv").symlink_to(VENV)
    installed = (VENV / ".installed").stat().st_mtime
    for name in ("requirements.txt", "constraints.txt"):
        os.utime(dest / name, (installed - 60, installed - 60))
    return dest


def checkout_state():
    left_out = {".git", ".venv", "__pycache__", ".keras"}
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in ROOT.rglob("*")
            if p.is_file() and not left_out & set(p.relative_to(ROOT).parts)}


@pytest.fixture(scope="module", autouse=True)
def checkout_unchanged():
    """Nothing any command here runs may change the checkout."""
    before = checkout_state()
    yield
    after = checkout_state()
    changed = sorted(str(p.relative_to(ROOT)) for p in set(before) | set(after)
                     if before.get(p) != after.get(p))
    assert not changed, f"the README's commands changed the checkout: {changed[:20]}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("readme")


@pytest.fixture(scope="module")
def repo(scratch):
    return copy_repository(scratch / "repo")


@pytest.fixture(scope="module")
def env(scratch):
    return user_env(scratch)


def readme_block(containing):
    """The lines of README's ```text block that holds `containing`, without the list's indent."""
    body = next(body for _, body in FENCE.findall((ROOT / "README.md").read_text()) if containing in body)
    return [line.removeprefix("   ") for line in body.splitlines()]


def has_run_of_lines(expected, output):
    """Do the `expected` lines appear one after another in `output` (measured values aside)?"""
    expected = [comparable(line) for line in expected]
    lines = [comparable(line) for line in output.splitlines()]
    return any(lines[i:i + len(expected)] == expected for i in range(len(lines)))


def report(folder):
    return json.loads((folder / "reports" / "results.json").read_text())


def points(part=None, hidden=True):
    return sum(c.points for p in registry.PARTS if part in (None, p)
               for c in checks_for(p) if hidden or not c.hidden)


# ---------------------------------------------------------------- a learner's commands
def run_learner_commands(folder, env, scratch, hidden):
    """The commands of README's "For learners", in `folder` (the repository, or the student
    repository, whose grader has no hidden checks)."""
    parts = ", ".join(map(str, sorted(registry.PARTS)))
    result = run("make grade", folder, env)
    assert result.stdout.startswith(f"Grading exercises, parts {parts} ...")
    assert f"Total: 0/{points(hidden=hidden):g} points" in result.stdout and result.stderr == ""
    assert (report(folder)["score"], report(folder)["max_score"]) == (0, points(hidden=hidden))

    for part in (1, 2):  # graded by `make grade` just before: every check kept from its store
        result = run(f"make grade PART={part}", folder, env)
        assert result.stdout.startswith(f"Grading exercises, part {part} ...") and result.stderr == ""
        assert f"Part {part}: 0/{points(part, hidden):g} points" in result.stdout
        assert {t["extra_data"]["part"] for t in report(folder)["tests"]} == {part}
        assert all(t["extra_data"].get("cached") for t in report(folder)["tests"])
        assert re.search(rf"^  part {part}  TODO +0/\d+  \w+: \w+ \(kept\)$", result.stdout, re.MULTILINE)

    result = run("make grade FRESH=1", folder, env)
    assert f"Total: 0/{points(hidden=hidden):g} points" in result.stdout and "(kept)" not in result.stdout

    result = run("make try PART=1", folder, env)
    assert "Try it stopped at standardize: it is not written yet" in result.stdout and result.stderr == ""

    mine = scratch / f"{folder.name}-mine"
    (mine / "folder").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "part2_cnn.py", mine / "folder")  # a folder of partN_*.py files
    result = run("make grade SUBMISSION=path/to/folder", folder, env, {"path/to/folder": mine / "folder"})
    pictures = readme_block("cnn_test_accuracy")
    assert has_run_of_lines(pictures, result.stdout), (pictures, result.stdout)
    for picture in re.findall(r"reports/\w+\.png", "\n".join(pictures)):
        assert (folder / picture).is_file(), picture
    assert report(folder)["score"] == points(2, hidden)

    sample_submission(mine)  # README's sample: the stub, three exercises done, two slips
    (mine / "part1_tf2_basics.py").rename(mine / "mywork.py")
    run("make grade PART=1 SUBMISSION=path/to/mywork.py", folder, env,
        {"path/to/mywork.py": mine / "mywork.py"})
    passed = {t["extra_data"]["exercise"] for t in report(folder)["tests"] if t["score"] == t["max_score"]}
    assert passed == set(DONE) and {t["extra_data"]["part"] for t in report(folder)["tests"]} == {1}

    from test_watch import watch_session  # a pseudo-terminal: type, save, press Ctrl-C

    shown = watch_session(folder, env, "make watch", edit=False)[1]
    assert f"Total: 0/{points(hidden=hidden):g} points" in shown and "Stopped watching." in shown
    after_save, shown = watch_session(folder, env, "make watch PART=1", half_typed=False)[:2]
    assert re.search(r"^  part 1  PASS   2/2  standardize: standardize_matches_numpy", after_save, re.MULTILINE)
    assert "Traceback" not in shown
    result = run("make progress", folder, env)
    assert re.search(r"^ +1  \d{4}-\d\d-\d\d ", result.stdout, re.MULTILINE) and result.stderr == ""
    assert (folder / "reports" / "progress.png").is_file()


def test_learner_commands_in_the_repository(repo, env, scratch):
    """Does each learner's command of README.md do what it says in the repository?"""
    run_learner_commands(repo, env, scratch, hidden=True)


def test_learner_commands_in_the_student_repository(repo, env, scratch):
    """Does `make student-repo` write the repository the README lists, and does each command of
    that repository's README do what it says there, with its own Makefile, for a learner?"""
    result = run("make student-repo", repo, env)
    student = repo / "build" / "student-repo"
    assert f"student repository: {student}" in result.stdout
    for name in ("README.md", "Makefile", "pyproject.toml", ".github/workflows/classroom.yml",
                 "autograder/__main__.py", "coursekit/__init__.py",
                 *(f"exercises/{n}.py" for n in registry.PARTS.values())):
        assert (student / name).is_file(), name
    assert not (student / "solutions").exists()
    readme = (student / "README.md").read_text()
    assert readme == student_readme_text() and shown_commands(readme) <= set(
        LEARNER_COMMANDS + HINT_COMMANDS + DIRECT_COMMANDS + ("make install",))  # run there by
    # test_an_exercise_file_runs_on_its_own_after_make_install
    (student / ".venv").symlink_to(VENV)
    run_learner_commands(student, env, scratch, hidden=False)


def test_make_hint_gives_each_level_then_none(repo, env, scratch):
    """Does `make hint EX=<exercise>`, as both READMEs show it, give hint 2 (the cause), then hint 3
    (the approach), then say there are no more, noting each hint in reports/attempts.jsonl, in the
    repository and in the student repository?"""
    student = student_repo.build(scratch / "hint" / "student-repo")
    (student / ".venv").symlink_to(VENV)
    for folder in (repo, student):
        said = [run("make hint EX=<exercise>", folder, env, {"<exercise>": "second_derivative"})
                for _ in range(3)]
        assert all(result.stderr == "" for result in said)
        assert said[0].stdout.startswith("part 1, second_derivative: hint 2 of 3, the cause"), said[0].stdout
        assert said[1].stdout.startswith("part 1, second_derivative: hint 3 of 3, the approach")
        assert said[2].stdout.startswith("part 1, second_derivative: no more hints")
        logged = [json.loads(line) for line in (folder / "reports" / "attempts.jsonl").read_text().splitlines()]
        assert [(r["kind"], r["exercise"], r["level"]) for r in logged if r["kind"] == "hint"] == [
            ("hint", "second_derivative", 2), ("hint", "second_derivative", 3)]


def venv_seeing_the_checkouts_packages(folder, scratch):
    """A fresh `folder`/.venv (pip and setuptools from Python's own bundle) that sees the packages
    of the checkout's .venv through a .pth file, as if `make install` had downloaded them: so that
    `make install` runs, offline, and the checkout's .venv stays as it is."""
    subprocess.run([str(VENV / "bin" / "python"), "-m", "venv", str(folder / ".venv")], check=True,
                   env=user_env(scratch), capture_output=True, timeout=300)
    python = str(folder / ".venv" / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    checkout_site = subprocess.run([str(VENV / "bin" / "python"), "-c", "import sysconfig; "
                                    "print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    (pathlib.Path(site) / "the_checkouts_packages.pth").write_text(checkout_site + "\n")


def test_an_exercise_file_runs_on_its_own_after_make_install(scratch):
    """Does `.venv/bin/python exercises/part2_cnn.py`, as both READMEs show it, fail to import
    coursekit before `make install` and reach its Try it section after it (offline: only the
    course's own packages are installed, editable), from the repository's folder and from another
    folder without PYTHONPATH, in the repository and in the student repository?"""
    repo = copy_repository(scratch / "direct" / "repo")
    (repo / ".venv").unlink()  # a .venv of its own, not the checkout's
    student = student_repo.build(scratch / "direct" / "student-repo")
    offline = user_env(scratch, PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull)
    elsewhere = scratch / "direct" / "elsewhere"
    elsewhere.mkdir()
    for folder in (repo, student):
        assert (folder / "pyproject.toml").is_file()
        venv_seeing_the_checkouts_packages(folder, scratch)
        before = run(".venv/bin/python exercises/part2_cnn.py", folder, offline, expect=1)
        assert "No module named 'coursekit'" in before.stderr, before.stderr[-2000:]
        installed = run("make install", folder, offline)
        assert "installing failed" not in installed.stdout
        in_the_folder = run(".venv/bin/python exercises/part2_cnn.py", folder, offline, expect=1)
        assert "NotImplementedError: part2: preprocess" in in_the_folder.stderr, in_the_folder.stderr[-2000:]
        assert "preprocess(x_train_raw, y_train_raw)" in in_the_folder.stderr  # a line of Try it
        elsewhere_run = subprocess.run([str(folder / ".venv" / "bin" / "python"),
                                        str(folder / "exercises" / "part1_tf2_basics.py")],
                                       cwd=elsewhere, env=offline, capture_output=True, text=True, timeout=600)
        assert elsewhere_run.returncode == 1, elsewhere_run.stderr[-2000:]
        assert "NotImplementedError: part1: standardize" in elsewhere_run.stderr
        assert 'print("standardize:", standardize(' in elsewhere_run.stderr  # a line of Try it


@pytest.mark.parametrize("command, says", [
    ("make try", "which part? e.g. `make try PART=1`"),
    ("make grade-batch", "usage: make grade-batch SUBMISSIONS=<folder>"),
    ("make hint", "which exercise? e.g. `make hint EX=fit_linear`"),
], ids=["try", "grade-batch", "hint"])
def test_a_target_without_its_variable_says_how_to_call_it(repo, env, command, says):
    """Does a target the README names without its variable (`make try`'s runner) answer with how
    to call it, and exit 2?"""
    result = run(command, repo, env, expect=2)
    assert says in result.stdout + result.stderr


def test_make_help_lists_every_target_the_readme_names(repo, env):
    """Does `make help` list every target that README.md names, as it says ("lists every target")?"""
    result = run("make help", repo, env)
    shown = shown_commands((ROOT / "README.md").read_text())
    targets = {command.split()[1] for command in shown if command.startswith("make ")}
    listed = set(re.findall(r"^  make ([a-z][\w-]*) ", result.stdout, re.MULTILINE))
    assert targets <= listed, targets - listed


# ---------------------------------------------------------------- the repository's own tests
FAST_TEST = "test_help_lists_every_target_and_every_variable_with_its_value"
SLOW_TEST = "test_readme_sample_output_is_a_real_run"


@pytest.mark.parametrize("command", ["make test", ".ci/run", "make test-quick"])
def test_make_test_test_quick_and_ci_run_the_tests(repo, env, scratch, command):
    """Do `make test`, CI's `.ci/run` and `make test-quick` run the repository's tests and pass
    (one fast test selected, and for test-quick one slow test too, which it must leave out)?"""
    selected = f"{FAST_TEST} or {SLOW_TEST}" if command == "make test-quick" else FAST_TEST
    basetemp = scratch / "pytest" / re.sub(r"\W+", "-", command)
    addopts = f"-v -k '{selected}' --basetemp={basetemp}"
    result = run(command, repo, dict(env, PYTEST_ADDOPTS=addopts))
    assert re.search(r"\b1 passed\b", result.stdout), result.stdout[-2000:]
    assert f"{FAST_TEST} PASSED" in result.stdout and SLOW_TEST not in result.stdout


def test_a_first_command_installs_into_a_fresh_venv(repo, scratch):
    """Without .venv, do `make install` and `make grade TENSORFLOW=tensorflow==2.21.0` create it
    and install the pinned packages, with the TensorFlow asked for? Offline, pip can only fail
    here, naming its log; what it was asked for is checked. With .venv, is `make install` done?"""
    default = re.search(r"^TENSORFLOW \?= (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)[1]
    for command, tensorflow in [("make install", default),
                                ("make grade TENSORFLOW=tensorflow==2.21.0", "tensorflow==2.21.0")]:
        fresh = scratch / f"fresh-{command.split()[1]}"
        fresh.mkdir()
        for name in ("Makefile", "requirements.txt", "constraints.txt"):
            shutil.copy(ROOT / name, fresh / name)
        offline = user_env(scratch, PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull)
        result = run(command, fresh, offline, expect=2)
        assert result.stdout.startswith("Installing the pinned packages into .venv (once, about 2 minutes; "
                                        "log: .venv/install.log)"), result.stdout
        assert "make: installing failed; see .venv/install.log" in result.stdout
        assert (fresh / ".venv" / "bin" / "python").exists() and not (fresh / ".venv" / ".installed").exists()
        log = (fresh / ".venv" / "install.log").read_text()
        assert f"No matching distribution found for {tensorflow}" in log, log
    assert "Nothing to be done for 'install'" in run("make install", repo, user_env(scratch)).stdout


# ---------------------------------------------------------------- instructors: generated files
def test_make_exercises_regenerates_the_committed_files(repo, env):
    """Does `make exercises` find every stub and notebook up to date, and leave them byte for byte?"""
    generated = [p.relative_to(ROOT) for p in [*(ROOT / "exercises").glob("part*.py"),
                                                *(ROOT / "course" / "source").glob("*/*.ipynb")]]
    result = run("make exercises", repo, env)
    for path in generated:
        assert (repo / path).read_bytes() == (ROOT / path).read_bytes(), path
        assert f"{path} up to date" in result.stdout, (path, result.stdout)


def keras_weights(path):
    """The weights inside a .keras file (a zip whose other members record when it was saved)."""
    with zipfile.ZipFile(path) as archive:
        return archive.read("model.weights.h5")


def test_make_grader_data_rebuilds_the_committed_data(scratch):
    """Does `make grader-data` rebuild the data the checks read as committed: the scaled digits
    byte for byte, the shipped base's features within the float16 tolerance the checks use, and
    a transfer model of the same recipe and architecture that reaches what the recipe promises?

    Trained files are not compared bit for bit: TensorFlow's kernels differ between CPUs (on this
    repository's machine, turning oneDNN off changed the stand-in base's accuracy on 0-4 from
    1.0 to 0.9944 and the head's on 5-9 from 0.8833 to 0.8944); the checks read the committed
    files, whatever machine rebuilt them."""
    from autograder.checkkit import thresholds
    from autograder.checks.part3 import FLOAT16_TOLERANCE

    repo = copy_repository(scratch / "repo-grader-data")
    result = run("make grader-data", repo, user_env(scratch))
    assert result.stderr == ""
    data = [p.relative_to(ROOT) for folder in ("autograder/data", "coursekit/data")
            for p in (ROOT / folder).iterdir()]
    for path in data:
        assert f"wrote {repo / path}" in result.stdout or path.suffix in (".sha256", ".json"), path
    scaled = "coursekit/data/digits_scaled.npz"
    assert (repo / scaled).read_bytes() == (ROOT / scaled).read_bytes()
    with np.load(repo / "autograder/data/part3_features.npz") as rebuilt, \
            np.load(ROOT / "autograder/data/part3_features.npz") as committed:
        assert sorted(rebuilt.files) == sorted(committed.files)
        for name in committed.files:
            assert rebuilt[name].dtype == committed[name].dtype and rebuilt[name].shape == committed[name].shape
            assert np.allclose(rebuilt[name], committed[name], atol=FLOAT16_TOLERANCE, rtol=FLOAT16_TOLERANCE)
    recipe = [json.loads((folder / "autograder/data/part3_transfer.json").read_text()) for folder in (repo, ROOT)]
    assert {k: v for k, v in recipe[0].items() if "accuracy" not in k} == \
        {k: v for k, v in recipe[1].items() if "accuracy" not in k}
    assert recipe[0]["base_accuracy_on_0_4"] >= 0.98
    assert recipe[0]["head_accuracy_on_5_9"] >= thresholds.HEAD_ACCURACY_THRESHOLD
    assert architecture(repo / "autograder/data/part3_transfer.keras") == \
        architecture(ROOT / "autograder/data/part3_transfer.keras")


def architecture(path):
    """A .keras file's model config, without the ids Keras takes from object addresses."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "shared_object_id"}
        return [plain(v) for v in value] if isinstance(value, list) else value

    with zipfile.ZipFile(path) as archive:
        return plain(json.loads(archive.read("config.json")))


def test_make_pretrained_rebuilds_the_base_reproducibly(scratch):
    """Does `make pretrained` rebuild the base with its checksum, and twice the same weights?

    Not the committed weights: those were trained elsewhere (they differ from a rebuild here by
    up to 0.009, with oneDNN on or off), and TensorFlow's kernels differ between CPUs; the recipe
    is reproducible on one kind of machine, which is what is checked."""
    from coursekit import datafiles, pretrained

    repo = copy_repository(scratch / "repo-pretrained")
    base = repo / pretrained.BASE_PATH.relative_to(ROOT)
    weights = []
    for _ in range(2):
        result = run("make pretrained", repo, user_env(scratch))
        assert result.stderr == "" and f"saved {base}" in result.stdout
        assert re.search(r"^held-out accuracy on digits 0-4: (1\.000|0\.99\d)$", result.stdout, re.MULTILINE)
        assert datafiles.checked(base, "make pretrained") == base
        weights.append(keras_weights(base))
    assert weights[0] == weights[1]


def test_make_release_is_run_by_the_nbgrader_end_to_end_test():
    """`make release` grades the reference notebooks first (minutes): is it run, as written, by the
    nbgrader end-to-end test, which reads everything it released?"""
    source = (ROOT / "tests" / "test_nbgrader_course.py").read_text()
    assert re.search(r'make\("release", folder\)', source)
    assert '["make", "-s", target, f"COURSE={course}"' in source


# ---------------------------------------------------------------- the nbgrader walk-through
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def background(command, cwd, env, log):
    """Start `command` (as written) in a session of its own; end it and all it started after."""
    with open(log, "w") as stream:
        process = subprocess.Popen(shlex.split(command), cwd=cwd, env=env, stdout=stream,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
                break


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, what, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := predicate():
            return found
        time.sleep(0.5)
    pytest.fail(f"waited {seconds} s for {what}")


def test_nbgrader_walk_through(repo, env, scratch):
    """Do the walk-through's commands work as written, in order, on this machine: release (without
    grading the reference: VALIDATE=0), a learner's fetch and submit with nbgrader, collect,
    autograde, feedback and the learner's fetch_feedback, export; a learner's notebook graded by
    `make grade`, an nbgrader command by hand from course/, and formgrader serving the course?"""
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "`--Exchange.root=<repo>/course/exchange` on this machine" in readme
    assert "nbgrader is `<repo>/.venv/bin/nbgrader`" in readme
    nbgrader = str(repo / ".venv" / "bin" / "nbgrader")
    exchange = f" --Exchange.root={repo / 'course' / 'exchange'}"
    assignments = sorted(f"part{p}" for p in registry.PARTS)

    result = run("make release VALIDATE=0", repo, env)
    assert f"released {', '.join(assignments)} to {repo / 'course' / 'exchange'}" in result.stdout

    learner = scratch / "learners" / "ada"
    learner.mkdir(parents=True)
    run("nbgrader fetch_assignment part1 --course tf2-course" + exchange, learner, env, program=nbgrader)
    fetched = learner / "part1" / "part1_tf2_basics.ipynb"
    assert fetched.is_file()  # with the helper modules the notebook imports:
    assert (learner / "part1" / "autograder").is_dir() and (learner / "part1" / "coursekit").is_dir()
    run("nbgrader submit part1 --course tf2-course --student <their id>" + exchange, learner, env,
        {"<their id>": "ada"}, program=nbgrader)

    run("make collect", repo, env)
    assert (repo / "course" / "submitted" / "ada" / "part1" / "part1_tf2_basics.ipynb").is_file()
    result = run("make autograde", repo, env)
    assert "[AutogradeApp | INFO]" in result.stdout + result.stderr  # nbgrader autograde ran
    assert (repo / "course" / "autograded" / "ada" / "part1" / "part1_tf2_basics.ipynb").is_file()
    run("make feedback", repo, env)
    run("nbgrader fetch_feedback part1 --course tf2-course" + exchange, learner, env, program=nbgrader)
    feedback = list((learner / "part1" / "feedback").glob("*/part1_tf2_basics.html"))
    assert len(feedback) == 1 and "standardize_matches_numpy" in feedback[0].read_text()
    run("make export", repo, env)
    with open(repo / "course" / "grades.csv") as stream:
        rows = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(stream)}
    assert rows == {("ada", assignment): 0.0 for assignment in assignments}  # one row per learner and part

    run("make grade SUBMISSION=<a learner's part1_tf2_basics.ipynb>", repo, env,
        {"<a learner's part1_tf2_basics.ipynb>": fetched})
    assert (report(repo)["score"], report(repo)["max_score"]) == (0, points(1))

    by_hand = run("nbgrader autograde part1 --force", repo / "course", env, program=nbgrader)
    assert "Autograding" in by_hand.stdout + by_hand.stderr

    port = free_port()
    with background("make formgrader", repo, dict(env, JUPYTER_PORT=str(port)), scratch / "formgrader.log"):
        log = scratch / "formgrader.log"
        url = wait_for(lambda: re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w+)", log.read_text()),
                       "formgrader's address")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/formgrader/api/assignments",
                                         headers={"Authorization": f"token {url[1]}"})
        listed = json.loads(urllib.request.urlopen(request, timeout=60).read())
        page = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/formgrader",
                                                             headers=request.headers), timeout=60)
        assert page.url.endswith("/formgrader/manage_assignments"), page.url
        assert "Manage Assignments" in page.read().decode()
    assert sorted(a["name"] for a in listed) == assignments
    assert {a["name"]: a["num_submissions"] for a in listed}["part1"] == 1


def test_the_engine_named_is_what_grades():
    """README says autograde grades each notebook with `python -m autograder`, the engine `make
    grade` uses: do the nbgrader engine and the Makefile's grade target both run it?"""
    engine = (ROOT / "handout" / "pregrade.py").read_text()
    assert '[sys.executable, "-m", "autograder",' in engine
    assert re.search(r"^grade:.*\n\t@\$\(PY\) -m autograder ", (ROOT / "Makefile").read_text(), re.MULTILINE)


# ---------------------------------------------------------------- handing out, classes, honesty
def test_make_gradescope_writes_one_zip_per_part(repo, env):
    """Does `make gradescope` write build/gradescope/autograder-partN.zip for every part, each
    with its setup.sh and run_autograder?"""
    result = run("make gradescope", repo, env)
    for part in registry.PARTS:
        path = repo / "build" / "gradescope" / f"autograder-part{part}.zip"
        assert f"Gradescope autograder: {path} (grades part {part})" in result.stdout
        names = zipfile.ZipFile(path).namelist()
        assert {"setup.sh", "run_autograder", "requirements-grading.txt"} <= set(names), names


@pytest.fixture(scope="module")
def a_class(scratch):
    """A class folder: ada's half-done Part 1 (README's sample) and bob's syntax error."""
    folder = scratch / "class"
    (folder / "ada").mkdir(parents=True)
    sample_submission(folder / "ada")
    (folder / "bob").mkdir()
    (folder / "bob" / "part1_tf2_basics.py").write_text("def standardize(x, axis:\n")
    return folder


def gradebook(repo):
    with open(repo / "reports" / "batch" / "grades.csv", newline="") as stream:
        return {row["learner"]: row for row in csv.DictReader(stream)}


@pytest.fixture(scope="module")
def local_gradebook(repo, env, a_class):
    """`make grade-batch SUBMISSIONS=<folder> [JOBS=n]` as README shows it, with two at once."""
    result = run("make grade-batch SUBMISSIONS=<folder> [JOBS=n]", repo, env,
                 {"<folder>": a_class, "[JOBS=n]": "JOBS=2"})
    return result, gradebook(repo)


def test_make_grade_batch_grades_a_class(repo, local_gradebook):
    """Does grade-batch write one results.json per learner under reports/batch/ and the gradebook,
    its problem column naming what went wrong?"""
    result, rows = local_gradebook
    assert sorted(rows) == ["ada", "bob"] and "gradebook: reports/batch/grades.csv" in result.stdout
    assert rows["bob"]["problem"].startswith("part 1: syntax error") and float(rows["ada"]["part1"]) > 0
    for learner in rows:
        assert json.loads((repo / "reports" / "batch" / learner / "results.json").read_text())["tests"]


def test_grade_batch_on_a_dask_cluster_and_cold(repo, env, scratch, a_class, local_gradebook):
    """With README's Dask section: do `make dask-scheduler` and `make dask-worker` start a cluster
    that `make grade-batch ... SCHEDULER=` grades the class on, and does `--cold` grade it too,
    each with the local batch's gradebook?"""
    shown = shown_commands((ROOT / "README.md").read_text())
    if "make dask-scheduler" not in shown:
        pytest.skip("README.md shows no Dask cluster")
    import distributed

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    with background(f"make dask-scheduler PORT={port}", repo, env, scratch / "scheduler.log"), \
            background(filled("make dask-worker SCHEDULER=tcp://host:8786", {"tcp://host:8786": address})
                       + " WORKERS=1", repo, env, scratch / "worker.log"):
        wait_for(lambda: listening(port), "the scheduler")
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=180)
        result = run("make grade-batch SUBMISSIONS=<folder> SCHEDULER=tcp://host:8786", repo, env,
                     {"<folder>": a_class, "tcp://host:8786": address})
        assert f"on the Dask cluster at {address} (1 worker, 1 thread)" in result.stdout
        on_dask = gradebook(repo)
    result = run(".venv/bin/python -m classroom.batch <folder> --cold", repo, env, {"<folder>": a_class})
    assert "cold worker" in result.stdout and result.stderr == ""
    cold = gradebook(repo)
    assert on_dask == local_gradebook[1] and cold == local_gradebook[1]


def test_dask_commands_named_are_what_the_targets_run(repo, env):
    """README says what `make dask-scheduler` and `make dask-worker` run: do their recipes run
    those words, in order?"""
    shown = [c for c in shown_commands((ROOT / "README.md").read_text()) if c.startswith("dask ")]
    if not shown:
        pytest.skip("README.md shows no Dask cluster")
    for command in shown:
        target = f"dask-{command.split()[1]}"
        runs = run(f"make -n {target} SCHEDULER=tcp://host:8786 WORKERS=N", repo, env).stdout
        runs = runs.replace('"', "").replace(".venv/bin/dask", "dask")
        words = iter(runs.split())
        assert all(word in words for word in command.split()), (command, runs)


def test_make_flake_check_on_part_1_with_two_seeds(repo, env):
    """Does `make flake-check` (Part 1, two seeds) print every check's pass rate, each 2/2, and
    every threshold's worst margin?"""
    result = run("make flake-check PART=1 SEEDS=2", repo, env)
    for check in checks_for(1):
        assert re.search(rf"^part 1 {check.name} +2/2$", result.stdout, re.MULTILINE), check.name
    assert re.search(r"^threshold +limit +worst +median +margin$", result.stdout, re.MULTILINE)


def sections(markdown):
    """{heading: text} of each `## ` section, and "" for what comes before the first."""
    head, *rest = ("\n" + markdown).split("\n## ")
    return {"": head, **{part.split("\n", 1)[0]: part for part in rest}}


def test_make_bench_measures_one_section(repo, env):
    """Does `make bench ONLY=calibration` (its section that takes seconds) write that section of
    the scratch copy's BENCHMARKS.md, leaving every other section as it was?"""
    before = sections((repo / "BENCHMARKS.md").read_text())
    result = run("make bench ONLY=calibration", repo, env)
    assert f"bench: rewrote calibration in {repo / 'BENCHMARKS.md'}" in result.stdout
    after = sections((repo / "BENCHMARKS.md").read_text())
    assert after.pop("How fast the machine was").startswith(
        "How fast the machine was\n\nMeasured alone (`scripts/bench.py --only calibration`)")
    before.pop("How fast the machine was", None)
    assert after == before


def test_make_grade_jobs_one_grades_one_part_at_a_time(repo, env):
    """Does `make grade JOBS=1` grade every part, one at a time, as the README says?"""
    result = run("make grade JOBS=1", repo, env)
    assert result.stderr == "" and f"Total: 0/{points():g} points" in result.stdout
    assert report(repo)["extra_data"]["jobs"] == 1


# ---------------------------------------------------------------- after grading a class
def test_after_grading_a_class(repo, env, a_class, local_gradebook):
    """After grade-batch, does `make class-report` report the latest grading (reports/batch/ unless
    nbgrader's gradebook is newer) with its page, `make similarity` compare the class's pair, and
    `make export-lms LMS=canvas` write the Canvas file with a column per part?"""
    batch, gradebook = repo / "reports" / "batch" / "grades.csv", repo / "course" / "gradebook.db"
    latest = "nbgrader gradebook" if gradebook.is_file() and gradebook.stat().st_mtime > batch.stat().st_mtime \
        else "grade-batch results in reports/batch"
    result = run("make class-report", repo, env)
    assert result.stdout.startswith("Class of ") and f"({latest}" in result.stdout.splitlines()[0]
    assert "Report: reports/class/index.html" in result.stdout and (repo / "reports" / "class" / "index.html").is_file()

    result = run("make similarity SUBMISSIONS=<folder>", repo, env, {"<folder>": a_class})
    assert "part 1: 2 learners, 1 pair, " in result.stdout and (repo / "reports" / "similarity" / "index.html").is_file()
    assert "Similar submissions: 0 pairs above the threshold" in result.stdout

    result = run("make export-lms LMS=canvas", repo, env)
    with open(repo / "reports" / "lms" / "canvas.csv", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and rows[0][5].startswith("Part 1")
    assert "Canvas grades: reports/lms/canvas.csv" in result.stdout


def test_leaderboard_entries_from_a_graded_part_2(repo, env):
    """Does `python -m autograder.feedback.leaderboard` add, to the results.json of Part 2 graded, the CNN's
    held-out accuracy as a Gradescope leaderboard entry, the value the check measured, and does
    `make gradescope LEADERBOARD=1` write zips that add them after grading?"""
    run("make grade PART=2 SUBMISSION=solutions", repo, env)
    result = run(".venv/bin/python -m autograder.feedback.leaderboard <results.json>", repo, env,
                 {"<results.json>": "reports/results.json"})
    graded = report(repo)
    measured = next(m["value"] for t in graded["tests"] for m in t["extra_data"].get("measured", [])
                    if t["extra_data"]["check"] == "cnn_test_accuracy")
    assert graded["leaderboard"] == [{"name": "CNN held-out accuracy", "value": round(measured, 3), "order": "desc"}]
    assert f"CNN held-out accuracy: {round(measured, 3):g}" in result.stdout
    run("make gradescope LEADERBOARD=1", repo, env)
    archive = zipfile.ZipFile(repo / "build" / "gradescope" / "autograder-part2.zip")
    assert json.loads(archive.read("assignment.json")) == {"parts": [2], "leaderboard": True}
    assert "autograder/feedback/leaderboard.py" in archive.namelist()
