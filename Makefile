# The course's commands; `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader runs `alembic` by name when it creates a gradebook, so the venv must be on PATH.
export PATH := $(BIN):$(PATH)

PORT ?= 8888
ifndef TOKEN
TOKEN := $(shell od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
endif
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
SOURCE_NBS := $(sort $(wildcard source/*/*.ipynb))
RELEASE_NBS := $(patsubst source/%,release/%,$(SOURCE_NBS))

.PHONY: help setup lab instructor test lint release record workspace grade check bench hub

help:
	@echo "make lab         set up, then open the course in JupyterLab with the learner's tools, on"
	@echo "                 workspace/START_HERE.md: your lessons and your progress (PORT=8888)"
	@echo "make instructor  the same course with the instructor's tools: formgrader, Create Assignment"
	@echo "make hub         as root: the class server, JupyterHub with nbgrader's exchange and an account per"
	@echo "                 person on the roster (ROSTER=roster.csv HUB_ARGS='--port 8000 ...'; docs/hub.md)"
	@echo "make check       grade one notebook of your own, and show it on the start page:"
	@echo "                 make check NB=workspace/01_notation/notation.ipynb"
	@echo "make test        set up, then run every test"
	@echo "make release     regenerate release/ from source/ with nbgrader"
	@echo "make grade       grade every submission under submitted/ (GRADE_ARGS='--force --jobs 8 ...')"
	@echo "make record      re-record what the visible checks compare with, from the reference answers (LESSON=...)"
	@echo "make lint        ruff, as make test runs it"
	@echo "make bench       time the whole course run top to bottom, a training epoch (course NN vs PyTorch if"
	@echo "                 installed), then nbgrader vs the course's grader (PER=40 JOBS=cores)"

setup: $(RUNTIME)

$(RUNTIME): requirements.txt pyproject.toml etc/overrides.json
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp etc/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Regenerated only when a source notebook or the config changed. release/ is committed with source/, and a
# fresh clone gives every file the time of its checkout, source/ after release/: by times alone, every
# clone would regenerate an identical release/, with a warning per assignment. So where git says that
# source/, release/ and the config are as committed, release/ is taken as it is (the tests check that it
# is exactly what generate_assignment makes) and only its times move on.
$(RELEASE_NBS) &: $(SOURCE_NBS) nbgrader_config.py | $(RUNTIME)
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$$(pwd -P)" ] && \
	    [ -z "$$(git status --porcelain --untracked-files=all -- source release nbgrader_config.py)" ] && \
	    ls $(RELEASE_NBS) >/dev/null 2>&1; then \
		touch -c $(RELEASE_NBS); \
	else \
		echo "source/ changed: regenerating release/"; \
		rm -rf release && nbgrader generate_assignment '*' --force --log-level=WARN; \
	fi

release: $(RUNTIME)
	rm -rf release
	nbgrader generate_assignment '*' --force --log-level=WARN

# A learner's own copy of each release notebook and of the optional appendix; existing files are never
# overwritten. The start page is made once, and its progress table rewritten every time.
workspace: $(RELEASE_NBS)
	@mkdir -p workspace/appendix
	@cp -Rn release/. workspace/
	@cp -n appendix/*.ipynb workspace/appendix/
	@python -m course start-page

# JupyterLab prints warnings only, and the addresses come last, once the server answers (grader/apps/lab.py).
lab: $(RUNTIME) workspace
	@python -m course lab --port=$(PORT) --token=$(TOKEN) $(ROOT_FLAG) $(LAB_ARGS)

instructor: $(RUNTIME) workspace
	@python -m course lab --instructor --port=$(PORT) --token=$(TOKEN) $(ROOT_FLAG) $(LAB_ARGS)

# The class server (grader/apps/hub.py): the hub's own venv, accounts, the exchange, then JupyterHub until Ctrl-C.
# It starts with Debian's Python and builds its own venv, so it needs neither .venv nor anything installed.
ROSTER ?= roster.csv
HUB_PYTHON ?= /usr/bin/python3
hub:
	@$(HUB_PYTHON) -m course hub --roster "$(ROSTER)" $(HUB_ARGS)

test: $(DEV)
	ruff check .
	pytest $(PYTEST_ARGS)

lint: $(DEV)
	ruff check .

record: $(RUNTIME)
	python -m course record $(LESSON)

grade: $(RUNTIME)
	python -m course grade $(GRADE_ARGS)

check: $(RUNTIME)
	@test -n "$(NB)" || { echo "usage: make check NB=path/to/notebook.ipynb"; exit 2; }
	python -m course check "$(NB)"

PER ?= 40
JOBS ?= $(shell nproc)
bench: $(RUNTIME)
	python -m bench.course_run
	python -m bench.training
	python -m bench.grading --per-assignment $(PER) --jobs $(JOBS)
