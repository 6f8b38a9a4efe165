# The course's commands. `make help` lists them. A fresh machine needs only `make grade` and
# `make test`: both create .venv and install the pinned packages on first use.

# The variables the targets read; `make help` prints each with its value now. Set one on the
# command line: `make grade PART=2`.
PYTHON ?= python3
TENSORFLOW ?= tensorflow-cpu==2.21.0
PART ?=
EX ?=
SUBMISSION ?= exercises
FORCE ?=
FRESH ?=
SUBMISSIONS ?=
JOBS ?=
SEEDS ?= 20
RUNS ?=
ONLY ?=
COURSE ?= course
VALIDATE ?= 1
ALL ?=
LEADERBOARD ?=
SCHEDULER ?=
WORKERS ?=
PORT ?= 8786
FROM ?=
LMS ?=
ZERO ?=
HELP_VARIABLES := PART EX SUBMISSION FRESH FORCE SUBMISSIONS JOBS SCHEDULER WORKERS PORT FROM LMS ZERO SEEDS RUNS ONLY COURSE VALIDATE ALL LEADERBOARD TENSORFLOW PYTHON
help_PART := a part, or several ("1 3"); empty: every part (grade, watch, try, hint, flake-check, gradescope, grade-batch)
help_EX := an exercise, named as in your file, e.g. fit_linear (hint)
help_SUBMISSION := exercises, solutions, a folder or one file (grade, watch, try); a file of any name with PART
help_FRESH := 1: grade every check again, reusing nothing kept in .grade-store (grade)
help_FORCE := 1: regenerate edited files, keeping a copy (exercises); regrade (autograde)
help_SUBMISSIONS := a folder with one folder per learner (grade-batch, similarity; class-report: adds similar submissions)
help_JOBS := learners graded at once (grade-batch, autograde), parts at once (grade); empty: as the CPUs and memory allow
help_SCHEDULER := a Dask scheduler, tcp://host:8786: grade the class on its workers (grade-batch, dask-worker)
help_WORKERS := Dask workers started on this machine; empty: as the CPUs and memory allow (dask-worker)
help_PORT := the port the Dask scheduler listens on (dask-scheduler)
help_FROM := batch or nbgrader: which grading to read; empty: the one that graded last (class-report, export-lms)
help_LMS := canvas or moodle: whose gradebook CSV to write (export-lms)
help_ZERO := 1: 0 for a part a learner handed nothing in for, instead of an empty cell (export-lms)
help_SEEDS := how many seeds (flake-check)
help_RUNS := runs of each timing (bench); empty: 5
help_ONLY := sections measured alone and rewritten in BENCHMARKS.md, e.g. calibration (seconds), grade (make grade), loop (make grade with its store, make watch), sandbox or container (bench); empty: all
help_COURSE := the nbgrader course folder (release, collect, autograde, feedback, export, formgrader, class-report, export-lms)
help_VALIDATE := 0: release without grading the reference first (release)
help_ALL := 1: also a zip that grades every part (gradescope)
help_LEADERBOARD := 1: results.json carries the held-out accuracies as Gradescope leaderboard entries (gradescope)
help_TENSORFLOW := the TensorFlow package .venv installs (install, on first use by any target)
help_PYTHON := the Python that creates .venv (install)

VENV := .venv
PY := $(VENV)/bin/python
# The parts the course grades, and a prerequisite that rejects any other PART before anything runs.
PARTS := $(sort $(patsubst autograder/checks/part%.py,%,$(wildcard autograder/checks/part[0-9].py)))
BAD_PART := $(filter-out $(PARTS),$(PART))

export PYTHONPATH := $(CURDIR)
export KERAS_HOME := $(CURDIR)/.keras
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install grade watch progress try hint test test-quick exercises check-generated grade-batch dask-scheduler dask-worker flake-check bench pretrained grader-data known-part class-report similarity export-lms

# List the targets with one line each, then the variables they read with their values now.
help:
	@awk '/^# / { doc = substr($$0, 3) } /^[a-z-]+:/ { if (doc) printf "  make %-16s %s\n", substr($$1, 1, length($$1) - 1), doc; doc = "" } !/^#/ { doc = "" }' $(MAKEFILE_LIST)
	@echo ""
	@echo "Variables (NAME=value now: what it does, and which targets read it):"
	@$(foreach v,$(HELP_VARIABLES),printf '  %-36s %s\n' '$(v)=$($(v))' '$(help_$(v))';)

known-part:
	$(if $(BAD_PART),$(error no part $(firstword $(BAD_PART)); the course has parts $(PARTS)))

$(VENV)/.installed: requirements.txt constraints.txt
	@echo "Installing the pinned packages into $(VENV) (once, about 2 minutes; log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q "$(TENSORFLOW)" -r requirements.txt -c constraints.txt > $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "make: installing failed; see $(VENV)/install.log"; exit 1; }
	@$(PY) -m pip install -q --no-deps --no-build-isolation -e . >> $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "make: installing the course's packages failed; see $(VENV)/install.log"; exit 1; }
	@touch $@

# Create .venv with the pinned packages and the course's own (editable, from pyproject.toml; grade and test do it on first use).
install: $(VENV)/.installed

# Grade your exercises: PART=1|2|3 (default: all), SUBMISSION=exercises|solutions|<folder>|<file, with PART>|<notebook>; checks whose code is unchanged keep their outcome (FRESH=1: grade all).
grade: known-part $(VENV)/.installed
	@$(PY) -m autograder $(foreach p,$(PART),--part $(p)) --submission "$(SUBMISSION)" $(if $(JOBS),--jobs $(JOBS)) --store .grade-store $(if $(FRESH),--fresh)

# Grade again on every save, only what changed (PART=1|2|3, default: all; SUBMISSION=exercises|<folder or .py file>); Ctrl-C stops.
watch: known-part $(VENV)/.installed
	@$(PY) -m autograder.supervise.watch $(foreach p,$(PART),--part $(p)) --submission "$(SUBMISSION)" --store .grade-store

# Your points over your attempts: a table, and reports/progress.png.
progress: $(VENV)/.installed
	@$(PY) -m autograder.feedback.progress --reports reports

# Run your file's "Try it" section: PART=1|2|3 (SUBMISSION=exercises|solutions|<file or folder>).
try: known-part $(VENV)/.installed
	@$(PY) -m coursekit.tryit --part "$(PART)" --submission "$(SUBMISSION)"

# Your next hint for one exercise, EX=<exercise> [PART=n]: 2, its cause (from your latest grading); 3, the approach.
hint: known-part $(VENV)/.installed
	@$(PY) -m autograder.feedback.hint --exercise "$(EX)" $(foreach p,$(PART),--part $(p))

# Run the repository's own tests (all of them, as CI does).
test: $(VENV)/.installed
	$(PY) -m pytest tests

# Run the fast tests only: no wrong-answer bank, no subprocess grading.
test-quick: $(VENV)/.installed
	$(PY) -m pytest tests -m "not slow"

# Regenerate the stubs in exercises/ and the notebooks in course/source/ from solutions/ (FORCE=1 overwrites edited files, keeping each as <file>.bak-<time>).
exercises: $(VENV)/.installed
	@$(PY) -m generate $(if $(FORCE),--force)

# Fail if a committed stub or notebook differs from what `make exercises` would write now.
check-generated: $(VENV)/.installed
	@$(PY) -m generate --check

# Rebuild Part 3's pretrained base (coursekit/models/digits04_base.keras and its checksum) from its recipe.
pretrained: $(VENV)/.installed
	@$(PY) -m materials.pretrain

# Rebuild the data the checks read (scaled digits, Part 3's features and transfer model; after `make pretrained`).
grader-data: $(VENV)/.installed
	@$(PY) -m materials.grader_data

# Grade a class: SUBMISSIONS=<folder of learner folders> [JOBS=n] [SCHEDULER=tcp://host:8786, a Dask cluster] -> reports/batch/grades.csv.
grade-batch: known-part $(VENV)/.installed
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade-batch SUBMISSIONS=<folder> [JOBS=n] [SCHEDULER=tcp://host:8786]"; exit 2; }
	@$(PY) -m classroom.batch "$(SUBMISSIONS)" $(if $(JOBS),--jobs $(JOBS)) $(if $(SCHEDULER),--scheduler "$(SCHEDULER)") $(foreach p,$(PART),--part $(p))

# Start a Dask scheduler for grade-batch on several machines (PORT).
dask-scheduler: $(VENV)/.installed
	@$(VENV)/bin/dask scheduler --port $(PORT) --no-dashboard

# Start Dask workers that grade, in this checkout: SCHEDULER=tcp://host:8786 [WORKERS=n, default: as many as the CPUs and memory allow].
dask-worker: $(VENV)/.installed
	@test -n "$(SCHEDULER)" || { echo "usage: make dask-worker SCHEDULER=tcp://host:8786 [WORKERS=n]"; exit 2; }
	@$(VENV)/bin/dask worker "$(SCHEDULER)" --nthreads 1 --no-dashboard \
		--nworkers $(or $(WORKERS),$$($(PY) -c 'from classroom.local import default_workers; print(default_workers())'))

# ---- After grading a class (classroom/; see the README's "After grading a class") ----
# The class at a glance, reports/class/index.html, from the latest grade-batch or autograde (FROM=batch|nbgrader; SUBMISSIONS=<folder>: with similar submissions).
class-report: $(VENV)/.installed
	@$(PY) -m classroom.review.class_report $(if $(FROM),--from $(FROM)) --course "$(COURSE)" $(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)")

# Pairs of learners whose files are more alike than working alone explains: SUBMISSIONS=<folder> -> reports/similarity/index.html.
similarity: $(VENV)/.installed
	@test -n "$(SUBMISSIONS)" || { echo "usage: make similarity SUBMISSIONS=<folder>"; exit 2; }
	@$(PY) -m classroom.review.similarity "$(SUBMISSIONS)"

# The class's grades as the CSV an LMS imports, a column per part: LMS=canvas|moodle [FROM=batch|nbgrader] [ZERO=1] -> reports/lms/<lms>.csv.
export-lms: $(VENV)/.installed
	@test -n "$(LMS)" || { echo "usage: make export-lms LMS=canvas|moodle [FROM=batch|nbgrader] [ZERO=1]"; exit 2; }
	@$(PY) -m classroom.review.lms_export --lms "$(LMS)" $(if $(FROM),--from $(FROM)) --course "$(COURSE)" $(if $(filter 1,$(ZERO)),--zero-missing)

# Measure grading speed, memory and throughput against nbgrader; writes BENCHMARKS.md (~40 min; ONLY=calibration: one section, seconds).
bench: $(VENV)/.installed
	@$(PY) scripts/bench.py $(if $(RUNS),--runs $(RUNS)) $(if $(ONLY),--only $(ONLY))

# Grade the reference under SEEDS seeds (20): every check's pass rate and every threshold's margin.
flake-check: known-part $(VENV)/.installed
	@$(PY) -m materials.flake --seeds $(SEEDS) $(foreach p,$(PART),--part $(p))

# ---- Handing the course out and grading it (instructors; see the README's walk-through) ----
HANDOUT = $(PY) -m handout --course "$(COURSE)"
.PHONY: release collect autograde feedback export formgrader student-repo gradescope

# Grade the reference notebooks, then generate and release one nbgrader assignment per part (VALIDATE=0 skips grading the reference).
release: $(VENV)/.installed
	@$(HANDOUT) release $(if $(filter 0,$(VALIDATE)),--no-validate)

# Collect the learners' submissions from the exchange into COURSE/submitted/.
collect: $(VENV)/.installed
	@$(HANDOUT) collect

# Autograde the collected submissions with the course's grader, hidden checks included, JOBS=n learners at once (FORCE=1 regrades graded ones).
autograde: $(VENV)/.installed
	@$(HANDOUT) autograde $(if $(FORCE),--force) $(if $(JOBS),--jobs $(JOBS))

# Write each learner's feedback (HTML, hidden test code left out) and release it to the exchange.
feedback: $(VENV)/.installed
	@$(HANDOUT) feedback

# Export the gradebook to COURSE/grades.csv.
export: $(VENV)/.installed
	@$(HANDOUT) export

# Open formgrader (JupyterLab, menu Nbgrader > Formgrader) on the course for manual review.
formgrader: $(VENV)/.installed
	cd "$(COURSE)" && env -u PYTHONPATH -u KERAS_HOME -u TF_CPP_MIN_LOG_LEVEL TF2_COURSE_GRADER="$(CURDIR)" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" "$(CURDIR)/$(VENV)/bin/jupyter" lab --no-browser $(if $(filter 0,$(shell id -u)),--allow-root)

# Write build/student-repo: the learners' repository (no solutions, no hidden checks) that grades itself.
student-repo: $(VENV)/.installed
	@$(PY) -m handout student-repo

# Write build/gradescope/autograder-partN.zip, one Gradescope autograder per part (PART=1: that one; ALL=1: also autograder-all.zip; LEADERBOARD=1: with leaderboard entries).
gradescope: known-part $(VENV)/.installed
	@$(PY) -m handout gradescope $(foreach p,$(PART),--part $(p)) $(if $(ALL),--all) $(if $(filter 1,$(LEADERBOARD)),--leaderboard)
