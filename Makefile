# Spotcheck: `make run` starts the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# One thread per worker process: a check is CPU work, which Python threads would only take
# turns at; the gthread worker still keeps connections alive. bench/load.py measures the choice.
WORKERS ?= 4
THREADS ?= 1

.PHONY: run test serve bench lint security screenshots check-content clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

run: $(BIN)/activate
	$(BIN)/flask --app webapp run --host $(HOST) --port $(PORT)

serve: $(BIN)/activate
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(WORKERS) --worker-class gthread --threads $(THREADS) \
		--access-logfile - 'webapp:create_app()'

check-content: $(BIN)/activate
	$(BIN)/flask --app webapp check-content

lint: $(BIN)/activate
	$(BIN)/ruff check webapp tests bench

# bandit fails the build on any finding not reviewed in place (# nosec with a reason above it).
# pip-audit asks PyPI's vulnerability service; where that service cannot be reached it says so
# and skips each package (see README), which must not fail a build on an offline network.
BANDIT = $(BIN)/bandit -q -r webapp
PIP_AUDIT = $(BIN)/pip-audit --skip-editable --progress-spinner off

security: $(BIN)/activate
	$(BANDIT)
	$(PIP_AUDIT)

# Two test workers (pytest-xdist), one per core, each taking the next test as it frees up (one
# test at a time, not a file at a time: a long file would set the end of the run); session
# fixtures (Chromium, the case-study classroom) start once in each worker. pip-audit spends its
# seconds waiting on the vulnerability service, so it runs beside the suite and its report is
# printed after it; either failing fails the target.
test: $(BIN)/activate lint check-content
	$(BANDIT)
	@$(PIP_AUDIT) > $(VENV)/pip-audit.log 2>&1 & audit=$$!; \
	$(BIN)/pytest -n 2 --dist load; tests=$$?; \
	wait $$audit; audited=$$?; cat $(VENV)/pip-audit.log; \
	[ $$tests -eq 0 ] && [ $$audited -eq 0 ]

bench: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/naive.py
	$(BIN)/python bench/page.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/casestudy_save.py

screenshots: $(BIN)/activate
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
