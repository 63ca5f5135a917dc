# The two commands of the quick start: `make report` and `make test`.
PY := .venv/bin/python

.PHONY: setup report test lint baseline bench lab lock mutation coverage

setup:
	@bash scripts/setup.sh

# make itself exits 2 whenever a command fails; the line before it says samverkan's own code
# (1: done with failures or rejected rows; 2: nothing done). Cron jobs call `python -m samverkan
# run` directly to get that code as the exit status.
SAMVERKAN = code=0; $(PY) -m samverkan $(1) || code=$$?; \
	[ $$code -eq 0 ] || echo "make: python -m samverkan $(1) exited $$code" >&2; exit $$code
report: setup
	@$(call SAMVERKAN,run)

# nbval executes the notebooks, which read what the pipeline wrote: run it first (incremental).
# Test files run on two workers; each file (each notebook's cells too) stays on one worker, in
# order (--dist loadfile). `make test JOBS=0` runs everything in this process, one at a time.
JOBS ?= 2
test: setup
	@$(call SAMVERKAN,run)
	$(PY) -m pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider -n $(JOBS) --dist loadfile

# Mutation testing of the core modules (not part of make test: it takes long). mutmut (configured
# in pyproject.toml) mutates one module at a time and runs the targeted unit and property tests
# on at most MUTATION_WORKERS processes; the score per module is printed at the end, survivors
# judged equivalent are in tests/mutation/equivalent.md. `make mutation MODULES=results/measures`
# runs one module; `python scripts/mutation.py --report-only --survivors` prints the last results.
MUTATION_WORKERS ?= 2
MODULES ?=
mutation: setup
	$(PY) scripts/mutation.py --workers $(MUTATION_WORKERS) $(MODULES)

# Branch coverage of the package by the unit, property and end-to-end tests (not nbval), with the
# core modules reported on their own (target: 90 % of branches and lines each).
CORE_FILES := samverkan/intake/normalise.py,samverkan/intake/validate.py,samverkan/audit/rules.py,samverkan/audit/evidence.py,samverkan/results/report_tables.py,samverkan/results/measures.py,samverkan/results/indicators.py
coverage: setup
	$(PY) -m samverkan run
	$(PY) -m pytest tests -q -p no:cacheprovider -n $(JOBS) --dist loadfile --cov=samverkan --cov-branch --cov-report=
	$(PY) -m coverage report --skip-covered --sort=cover
	@echo "Core modules:"
	$(PY) -m coverage report --include='$(CORE_FILES)' --fail-under=90

lint: setup
	$(PY) -m ruff check .

# Refresh the nbval baseline after an intended change; `git diff notebooks/` shows what moved.
baseline: setup
	$(PY) -m samverkan run --no-cache
	$(PY) scripts/refresh_baseline.py

bench: setup
	$(PY) -m samverkan bench

# The evaluator's JupyterLab, in the same environment (requirements-lab.txt adds it on first use),
# opened at the project root. `make lab PORT=8899` picks the port, `make lab HEADLESS=1` opens no
# browser (on a server: the URL with its token is printed); as root it adds --allow-root.
PORT ?= 8888
HEADLESS ?=
LAB_ARGS = --ServerApp.root_dir="$(CURDIR)" --port=$(PORT) $(if $(HEADLESS),--no-browser --ip=127.0.0.1) \
	$(if $(filter 0,$(shell id -u)),--allow-root)
lab: setup
	@.venv/bin/python -c "import jupyterlab" 2>/dev/null || .venv/bin/python -m pip install -q -r requirements-lab.txt
	.venv/bin/jupyter lab $(LAB_ARGS)

# Regenerate the pinned environment from pyproject.toml after changing a dependency (needs uv:
# `pip install uv`). Pins already in the files are kept unless a bound forces a change.
LOCK := uv pip compile pyproject.toml --python-version 3.11.5 --custom-compile-command "make lock" -q
lock:
	@command -v uv >/dev/null || { echo "make lock needs uv (pip install uv)" >&2; exit 2; }
	$(LOCK) --extra test -o requirements.txt
	$(LOCK) --extra test --extra lab -c requirements.txt -o requirements-lab.txt
