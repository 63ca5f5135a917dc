# The two commands of the quick start: `make report` and `make test`.
PY := .venv/bin/python

.PHONY: setup report test lint baseline bench lab

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

# The evaluator's JupyterLab, in the same environment (requirements-lab.txt adds it on first use).
lab: setup
	@.venv/bin/python -c "import jupyterlab" 2>/dev/null || .venv/bin/python -m pip install -q -r requirements-lab.txt
	.venv/bin/jupyter lab notebooks/
