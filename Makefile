# Two commands for a newcomer: `make run` and `make test`. Everything else is a
# building block of those two. See README.md.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
MODEL := models/city-assistant.tar.gz
# Everything that changes the trained model. Rasa's own fingerprint then decides
# whether anything really needs retraining.
MODEL_INPUTS := config.yml domain.yml $(shell find data -type f -name '*.yml') \
	$(wildcard bot/nlu/*.py bot/language/*.py bot/language/*.yml bot/policies/*.py)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: run shell test lint typecheck unit niced-unit integration integration-in-process integration-stacks validate conversation-tests eval \
	bench-language bench-transit bench-transit-any-city bench-service-matching \
	bench-permit-lookup install train clean help browser \
	console-admin retention bench-console prod-local nginx bench-load bench-cold-start

help:
	@echo "make run    - set up, train if needed, start the assistant (Ctrl-C stops it)"
	@echo "make test   - set up, train if needed, run the whole suite"
	@echo "make shell  - chat with the assistant in the terminal"
	@echo "make eval   - NLU accuracy per language on the held-out split (docs/nlu-evaluation.md)"
	@echo "make bench-language - reply-language detector vs langdetect alone"
	@echo "make console-admin - create the staff console's first admin account"
	@echo "make retention - delete conversations past the retention period"

install: $(INSTALLED)

$(INSTALLED): pyproject.toml constraints.txt scripts/bootstrap.sh
	scripts/bootstrap.sh $(VENV)
	touch $@

train: $(MODEL)

$(MODEL): $(INSTALLED) $(MODEL_INPUTS)
	$(RASA) train --fixed-model-name city-assistant --out models
	touch $@

run: $(MODEL)
	$(PY) scripts/run_stack.py --model $(MODEL)

shell: $(MODEL)
	$(PY) scripts/run_stack.py --model $(MODEL) --shell

lint: $(INSTALLED)
	$(VENV)/bin/ruff check bot actions sandbox tests benchmarks scripts
	$(VENV)/bin/ruff format --check bot actions sandbox tests benchmarks scripts

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy bot actions sandbox

validate: $(INSTALLED)
	$(RASA) data validate

unit: $(INSTALLED)
	$(VENV)/bin/pytest -m "not integration" --durations=15

# Conversation tests check predictions only; no action server is called, but Rasa still
# reads endpoints.yml, whose action endpoint names the secret.
conversation-tests: $(MODEL)
	ACTION_SERVER_TOKEN=$${ACTION_SERVER_TOKEN:-conversation-tests} $(RASA) test core --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out var/results/core

# --durations: the slowest tests in every run's log (make test has a time budget).
# Lint and type checks first: a slip fails in seconds, not after the training.
# The tests that need no model run while the model trains, niced: training is the
# longer of the two and keeps both cores busy only in DIET's epochs, so the unit
# tests mostly fill the gaps (docs/development.md, "How long make test takes").
# `rasa train` validates the data as `make validate` does (the same Rasa check), and
# an up-to-date model means the data has not changed since it was validated.
# The integration tests (two processes, see `integration`) and the conversation tests all
# need the model and then run two at a time.
test: lint typecheck browser nginx
	$(MAKE) --no-print-directory -j2 --output-sync=target niced-unit $(MODEL)
	$(MAKE) --no-print-directory -j2 --output-sync=target integration conversation-tests

# The integration tests in two processes that run side by side under `make test` (-j2):
# those that load the model into the test process and compare its predictions, and
# those that talk to running stacks (which mostly wait on the servers they start).
MODEL_IN_PROCESS_TESTS = tests/integration/test_speedups_model.py \
	tests/integration/test_ted_gate.py tests/integration/test_tracker_window_predictions.py \
	tests/integration/test_graph_runner.py tests/integration/test_dialogue_states_predictions.py

integration: integration-in-process integration-stacks

integration-in-process: $(MODEL)
	$(VENV)/bin/pytest -m integration --durations=10 $(MODEL_IN_PROCESS_TESTS)

integration-stacks: $(MODEL)
	$(VENV)/bin/pytest -m integration --durations=15 $(addprefix --ignore=,$(MODEL_IN_PROCESS_TESTS))

niced-unit: $(INSTALLED)
	nice -n 10 $(MAKE) --no-print-directory unit

eval: $(MODEL)
	$(PY) -m benchmarks.nlu_eval --model $(MODEL) --report docs/nlu-evaluation.md

# The staff console's first admin account (asks for a password; see docs/console.md).
console-admin: $(INSTALLED)
	$(PY) -m bot.console create-admin $${CONSOLE_ADMIN:-admin}

# Delete conversations older than console.retention_days (endpoints.yml), and redact
# finished complaints' details and finished watches in the outbox; cron runs this.
retention: $(INSTALLED)
	$(PY) -m bot.console retention
	$(PY) -m actions.retention

# Production mode on this machine: 2 Rasa + 2 action servers behind nginx, PostgreSQL
# tracker store, Redis lock store (docs/production.md).
prod-local: $(MODEL) nginx
	$(PY) scripts/prod_local.py --model $(MODEL)

nginx:
	scripts/install-nginx.sh

# Debian's Chromium for the browser tests (a no-op once /usr/bin/chromium exists).
browser:
	scripts/install-browser.sh

bench-transit: $(INSTALLED)
	$(PY) -m benchmarks.transit_scale --report docs/transit-benchmarks.md

# Stops found and intents recognised on other cities' real feeds (docs/transit-any-city.md).
# LARGE_FEED=path/to/feed adds a big feed of your own (not shipped) for speed.
# Residents' descriptions against real cities' Open311 lists (docs/service-matching.md).
bench-service-matching: $(INSTALLED)
	$(PY) -m benchmarks.service_matching --report docs/service-matching.md

# Permit lookup among 5,000 catalogue entries: accuracy and time (docs/permit-lookup.md).
bench-permit-lookup: $(INSTALLED)
	$(PY) -m benchmarks.permit_lookup --report docs/permit-lookup.md

bench-transit-any-city: $(MODEL)
	$(PY) -m benchmarks.transit_any_city --model $(MODEL) --report docs/transit-any-city.md \
		$(if $(LARGE_FEED),--large-feed $(LARGE_FEED))

# Residents chatting over REST against make prod-local's topology (one and two Rasa
# instances, saturation, 10-minute soak); about 30 minutes (docs/benchmarks.md).
bench-load: $(MODEL) nginx
	$(PY) -m benchmarks.load --report docs/benchmarks.md

# A Rasa server from start to ready and to its first answer, 3 times (docs/benchmarks.md).
bench-cold-start: $(MODEL)
	$(PY) -m benchmarks.cold_start --report docs/benchmarks.md

bench-console: $(INSTALLED)
	$(PY) -m benchmarks.console_scale --report docs/console-benchmarks.md

bench-language: $(INSTALLED)
	$(PY) -m benchmarks.language_id

clean:
	rm -rf models var .pytest_cache .mypy_cache .ruff_cache

# Re-resolve the direct dependencies from scratch and rewrite the lock file.
lock:
	rm -rf var/lock-venv
	"$$(scripts/find-python.sh)" -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet "pip==24.3.1"
	var/lock-venv/bin/pip install --quiet -e ".[dev]"
	var/lock-venv/bin/pip check
	{ echo "# Locked dependency set for Python 3.10 (pip freeze of a fresh resolve of pyproject.toml)."; \
	  echo "# Regenerate with: make lock   (see docs/development.md)"; \
	  var/lock-venv/bin/pip freeze --exclude-editable | sort -f; } > constraints.txt
	rm -rf var/lock-venv
