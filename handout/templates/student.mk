# Your commands: `make grade` grades your exercises. `make help` lists the targets.
# The first `make grade` creates .venv and installs the pinned packages (about 2 minutes).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The CPU build by default; `make grade TENSORFLOW=tensorflow==2.21.0` installs the GPU-capable one.
TENSORFLOW ?= @TENSORFLOW@
PART ?=
EX ?=
SUBMISSION ?= exercises
FRESH ?=

export PYTHONPATH := $(CURDIR)
export KERAS_HOME := $(CURDIR)/.keras
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install grade watch progress try hint

# List the targets with one line each.
help:
	@awk '/^# / { doc = substr($$0, 3) } /^[a-z-]+:/ { if (doc) printf "  make %-10s %s\n", substr($$1, 1, length($$1) - 1), doc; doc = "" } !/^#/ { doc = "" }' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.txt constraints.txt
	@echo "Installing the pinned packages into $(VENV) (once, about 2 minutes; log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q "$(TENSORFLOW)" -r requirements.txt -c constraints.txt > $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "make: installing failed; see $(VENV)/install.log"; exit 1; }
	@$(PY) -m pip install -q --no-deps --no-build-isolation -e . >> $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "make: installing the course's packages failed; see $(VENV)/install.log"; exit 1; }
	@touch $@

# Create .venv with the pinned packages and the course's own (editable; grade does it on first use).
install: $(VENV)/.installed

# Grade your exercises: PART=1|2|3 (default: all), SUBMISSION=exercises|<file or folder>; checks whose code is unchanged keep their outcome (FRESH=1: grade all).
grade: $(VENV)/.installed
	@$(PY) -m autograder $(foreach p,$(PART),--part $(p)) --submission "$(SUBMISSION)" --store .grade-store $(if $(FRESH),--fresh)

# Grade again on every save, only what changed (PART=1|2|3, default: all); Ctrl-C stops.
watch: $(VENV)/.installed
	@$(PY) -m autograder.supervise.watch $(foreach p,$(PART),--part $(p)) --submission "$(SUBMISSION)" --store .grade-store

# Your points over your attempts: a table, and reports/progress.png.
progress: $(VENV)/.installed
	@$(PY) -m autograder.feedback.progress --reports reports

# Run your file's "Try it" section: PART=1|2|3 (SUBMISSION=exercises|<file or folder>).
try: $(VENV)/.installed
	@$(PY) -m coursekit.tryit --part "$(PART)" --submission "$(SUBMISSION)"

# Your next hint for one exercise, EX=<exercise> [PART=n]: 2, its cause (from your latest grading); 3, the approach.
hint: $(VENV)/.installed
	@$(PY) -m autograder.feedback.hint --exercise "$(EX)" $(foreach p,$(PART),--part $(p))
