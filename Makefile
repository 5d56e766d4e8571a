# The repository's interface: install, run, test, bench, lint.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# No network here but package registries: Rasa must not phone home.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: install run test test-fast lint train bench clean

install: $(STAMP)

# Reinstall when the dependency pins change.
$(STAMP): pyproject.toml constraints.txt scripts/find-python.sh bot/webchat/package-lock.json
	@python=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  echo "creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet "pip==24.3.1" "wheel==0.45.1" "setuptools==70.3.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@# The website widget's only browser dependency: the socket.io client, from npm.
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix bot/webchat --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else \
	  echo "warning: npm not found: the website chat widget needs Node.js (apt-get install nodejs npm)"; \
	fi
	@touch $(STAMP)
	@echo "installed: $$($(BIN)/rasa --version 2>/dev/null | grep -m1 'Rasa Version' || echo rasa)"

train: install
	@scripts/train-if-changed.sh

run: install train
	@scripts/run.sh

# Everything: lint-free code, data that validates, unit/integration/action
# tests, Rasa story tests, and end-to-end conversations over real servers.
test: install train
	$(BIN)/ruff check actions bot tests bench
	$(BIN)/mypy actions bot
	scripts/validate-data.sh
	$(BIN)/pytest -q
	$(BIN)/rasa test core --model models/current.tar.gz --stories tests/stories \
	  --fail-on-prediction-errors --out results/core --quiet

test-fast: install
	$(BIN)/pytest -q -m "not e2e"

lint: install
	$(BIN)/ruff check actions bot tests bench
	$(BIN)/ruff format --check actions bot tests bench || true
	$(BIN)/mypy actions bot

bench: install train
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.language

clean:
	rm -rf models/*.tar.gz results .pytest_cache .mypy_cache .ruff_cache
