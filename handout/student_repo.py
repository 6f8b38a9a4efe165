"""`make student-repo`: the learners' repository, ready to push as a GitHub Classroom template.

    build/student-repo/
        README.md                       the main README up to "For instructors" (naming only the
                                        Makefile's targets), plus Classroom notes
        Makefile                        install, grade, watch, progress, try and hint
                                        (handout/templates/student.mk)
        requirements.txt constraints.txt
        pyproject.toml                  the course's packages (autograder, coursekit), which
                                        `make install` installs into .venv, editable
        exercises/partN_*.py            the stubs, generated from solutions/ as `make exercises` does
        autograder/ coursekit/          hidden checks cut out (helpers.py, hidden="strip")
        .github/workflows/classroom.yml one GitHub Classroom test per visible check, same points
        .github/classroom_check.py      scores one check from reports/results.json
        .gitignore                      .venv, reports, .grade-store (make grade's store) ...

No solutions, no hidden checks, no tests of the course itself. Only parts whose checks exist
are included. `make grade` in it grades the learner's exercises/ as here.
"""

import pathlib
import re
import shutil

from generate.__main__ import registered_checks, solution_files
from generate.stubs import make_stub, part_of
from handout import helpers

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEST = ROOT / "build" / "student-repo"
TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"
GITIGNORE = ".venv/\n.keras/\n__pycache__/\n*.pyc\n.pytest_cache/\nreports/\n*.egg-info/\n.grade-store/\n"

CLASSROOM_README = """
## Grading on GitHub Classroom

Every push runs `.github/workflows/classroom.yml`: it installs the pinned packages, runs
`make grade FRESH=1` (every check graded, nothing reused from a store), and scores each check as
its own Classroom test with the same points as here.
Open the repository's Actions tab to read the grader's table for your last push.
"""


def tensorflow_pin(root=ROOT):
    """The TensorFlow requirement the main Makefile installs (one place says it)."""
    match = re.search(r"^TENSORFLOW \?= (\S+)$", (root / "Makefile").read_text(), re.MULTILINE)
    return match.group(1)


def makefile_targets(makefile_text):
    return set(re.findall(r"^([a-z][\w-]*):", makefile_text, re.MULTILINE))


def learner_readme(root=ROOT, targets=None):
    """The main README up to "For instructors", without the command lines (`make test`, ...) of
    targets that the learners' Makefile lacks, plus the Classroom notes."""
    text = (root / "README.md").read_text()
    learner_part = text.split("\n## For instructors", 1)[0].rstrip()
    if targets is not None:
        learner_part = "\n".join(line for line in learner_part.splitlines()
                                 if (m := re.match(r"\s*make ([a-z][\w-]*)", line)) is None
                                 or m[1] in targets)
    return learner_part + "\n" + CLASSROOM_README


def graded_parts(root=ROOT):
    """{part: (solution path, [visible checks])} for every part whose checks exist."""
    parts = {}
    for path in solution_files(root):
        checks = registered_checks(part_of(path.name))
        if checks is not None:
            parts[part_of(path.name)] = (path, [c for c in checks if not c.hidden])
    return parts


def step_id(graded):
    return f"part{graded.part}_{graded.name}"


def classroom_workflow(parts):
    """The GitHub Classroom workflow: grade once, then one command-grader step per check."""
    steps = [
        "    - name: Checkout code",
        "      uses: actions/checkout@v4",
        "    - name: Set up Python",
        "      uses: actions/setup-python@v5",
        "      with:",
        "        python-version: '3.11'",
        "    - name: Grade (installs the pinned packages, then runs every check once, reusing nothing)",
        "      run: make grade FRESH=1",
    ]
    ids = []
    for part, (_, checks) in sorted(parts.items()):
        for graded in checks:
            ids.append(step_id(graded))
            steps += [
                f"    - name: 'part {part}, {graded.exercise}: {graded.name}'",
                f"      id: {step_id(graded)}",
                "      uses: classroom-resources/autograding-command-grader@v1",
                "      with:",
                f"        test-name: 'part {part}, {graded.exercise}: {graded.name}'",
                f"        command: python3 .github/classroom_check.py {part} {graded.name}",
                "        timeout: 1",
                f"        max-score: {graded.points:g}",
            ]
    steps += [
        "    - name: Autograding Reporter",
        "      uses: classroom-resources/autograding-grading-reporter@v1",
        "      env:",
        *[f"        {i.upper()}_RESULTS: \"${{{{steps.{i}.outputs.result}}}}\"" for i in ids],
        "      with:",
        f"        runners: {','.join(ids)}",
    ]
    head = [
        "# Generated by `make student-repo` from the course's registered checks: one test per",
        "# check, with its points. Do not edit by hand; regenerate it.",
        "name: Autograding Tests",
        "'on':",
        "  push:",
        "  workflow_dispatch:",
        "  repository_dispatch:",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
    ]
    return "\n".join(head + steps) + "\n"


def build(dest=DEST, root=ROOT):
    """Write the student repository to `dest` (replacing it)."""
    dest = pathlib.Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "exercises").mkdir(parents=True)
    parts = graded_parts(root)
    for part, (path, _) in sorted(parts.items()):
        (dest / "exercises" / path.name).write_text(make_stub(path.read_text(), path.name))
    helpers.copy_helpers(root, dest, hidden="strip")
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):
        shutil.copy2(root / name, dest / name)  # keeps the date: an existing .venv stays valid
    makefile = (TEMPLATES / "student.mk").read_text().replace("@TENSORFLOW@", tensorflow_pin(root))
    (dest / "Makefile").write_text(makefile)
    (dest / "README.md").write_text(learner_readme(root, makefile_targets(makefile)))
    (dest / ".gitignore").write_text(GITIGNORE)
    (dest / ".github" / "workflows").mkdir(parents=True)
    (dest / ".github" / "workflows" / "classroom.yml").write_text(classroom_workflow(parts))
    shutil.copy2(TEMPLATES / "classroom_check.py", dest / ".github" / "classroom_check.py")
    print(f"student repository: {dest} (parts {', '.join(map(str, sorted(parts)))}); "
          "push it as a GitHub Classroom template repository")
    return dest
