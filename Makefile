# The two commands of the quick start: `make report` and `make test`.
PY := .venv/bin/python

.PHONY: setup report test lint baseline bench lab lock

setup:
	@bash scripts/setup.sh

report: setup
	$(PY) -m samverkan run

# nbval executes the notebooks, which read what the pipeline wrote: run it first (incremental).
# Test files run on two workers; each file (each notebook's cells too) stays on one worker, in
# order (--dist loadfile). `make test JOBS=0` runs everything in this process, one at a time.
JOBS ?= 2
test: setup
	$(PY) -m samverkan run
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider -n $(JOBS) --dist loadfile

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

# Regenerate the pinned environment from pyproject.toml after changing a dependency (needs uv:
# `pip install uv`). Pins already in the files are kept unless a bound forces a change.
LOCK := uv pip compile pyproject.toml --python-version 3.11.5 --custom-compile-command "make lock" -q
lock:
	@command -v uv >/dev/null || { echo "make lock needs uv (pip install uv)" >&2; exit 2; }
	$(LOCK) --extra test -o requirements.txt
	$(LOCK) --extra test --extra lab -c requirements.txt -o requirements-lab.txt
