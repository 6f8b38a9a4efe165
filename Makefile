# The course's commands. `make help` lists them. A fresh machine needs only `make grade` and
# `make test`: both create .venv and install the pinned packages on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The CPU build by default; `make grade TENSORFLOW=tensorflow==2.21.0` installs the GPU-capable one.
TENSORFLOW ?= tensorflow-cpu==2.21.0
PART ?=
SUBMISSION ?= exercises
FORCE ?=

export PYTHONPATH := $(CURDIR)
export KERAS_HOME := $(CURDIR)/.keras
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install grade test test-quick exercises check-generated

# List the targets with one line each.
help:
	@awk '/^# / { doc = substr($$0, 3) } /^[a-z-]+:/ { if (doc) printf "  make %-16s %s\n", substr($$1, 1, length($$1) - 1), doc; doc = "" } !/^#/ { doc = "" }' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.txt constraints.txt
	@echo "Installing the pinned packages into $(VENV) (once, about 2 minutes; log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q "$(TENSORFLOW)" -r requirements.txt -c constraints.txt > $(VENV)/install.log 2>&1 \
		|| { tail -20 $(VENV)/install.log; echo "make: installing failed; see $(VENV)/install.log"; exit 1; }
	@touch $@

# Create .venv with the pinned packages (grade and test do it on first use).
install: $(VENV)/.installed

# Grade your exercises: PART=1|2|3 (default: all), SUBMISSION=exercises|solutions|<file or folder>.
grade: $(VENV)/.installed
	@$(PY) -m autograder $(foreach p,$(PART),--part $(p)) --submission "$(SUBMISSION)"

# Run the repository's own tests (all of them, as CI does).
test: $(VENV)/.installed
	$(PY) -m pytest tests

# Run the fast tests only: no wrong-answer bank, no subprocess grading.
test-quick: $(VENV)/.installed
	$(PY) -m pytest tests -m "not slow"

# Regenerate the stubs in exercises/ from solutions/ (FORCE=1 overwrites edited stubs, keeping a .bak).
exercises: $(VENV)/.installed
	@$(PY) -m generate $(if $(FORCE),--force)

# Fail if a committed stub differs from what `make exercises` would write now.
check-generated: $(VENV)/.installed
	@$(PY) -m generate --check
