# The two commands of the quick start: `make report` and `make test`.
PY := .venv/bin/python

.PHONY: setup report test lint baseline bench

setup:
	@bash scripts/setup.sh

report: setup
	$(PY) -m samverkan run

test: setup
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

lint: setup
	$(PY) -m ruff check .

# Refresh the nbval baseline after an intended change; `git diff notebooks/` shows what moved.
baseline: setup
	$(PY) -m samverkan run --no-cache
	$(PY) scripts/refresh_baseline.py

bench: setup
	$(PY) -m samverkan bench
