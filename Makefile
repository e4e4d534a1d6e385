# The two commands a newcomer needs (see README):
# (make example rebuilds the shipped example snapshot from the lab: needs root)
#   make demo   set up a virtualenv and analyse the shipped example snapshot (offline, no API key)
#   make test   set up everything the tests need (Python deps, sshd, Chromium, Kafka jars) and run them all

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast test-llm-local lint catalog example clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kafkapilot-analyse --example

# the real-model lane runs last, on its own (the lab is down by then: the model has the machine's cores),
# and whatever the first part's result was: both results count
test: $(STAMP)
	bash tests/install-system-deps.sh
	status=0; $(PY) -m pytest -m "not llm_local" || status=$$?; \
	$(PY) -m pytest -m llm_local || status=$$((status ? status : $$?)); exit $$status

# the LLM path against a real small model (llama-cpp-python's server, SmolLM2-135M, on 127.0.0.1); builds
# and caches the llama-cpp-python wheel, its virtualenv and the model under ~/.cache/kafkapilot once
test-llm-local: $(STAMP)
	$(PY) -m pytest -m llm_local

# unit and catalog tests: no lab, no browser, no other program run, no fuzzing (the markers in pyproject.toml)
test-fast: $(STAMP)
	$(PY) -m pytest -m "not lab and not browser and not integration and not fuzz and not llm_local"

# ruff with the configuration in pyproject.toml
lint: $(STAMP)
	$(VENV)/bin/ruff check

catalog: $(STAMP)
	$(VENV)/bin/kafkapilot tasks list --format markdown > analysis_tasks/CATALOG.md

example: $(STAMP)
	$(PY) -m tests.collection.build_example

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
