# Two commands do all the set-up on a fresh machine with only python3: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck contracts pytest bench bench-terminal tui-script clean \
	bench-old-laptop chaos report wheelhouse

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/head-judge demo --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck contracts pytest

# Benches run as modules: `python bench/X.py` would put bench/ first on the path, where
# bench/sync.py hides the `sync` package.
bench: $(STAMP)
	$(BIN)/python -m bench.tabulate
	$(BIN)/python -m bench.sync
	$(BIN)/python -m bench.enrol
	$(BIN)/python -m bench.printouts
	$(BIN)/python -m bench.terminal
	$(BIN)/python -m bench.console
	$(BIN)/python -m bench.screen
	$(BIN)/python -m bench.panel_report
	$(BIN)/python -m bench.closing
	$(BIN)/python -m bench.appeal

# Every bench twice: as usual, then with the master, the console or the terminal confined to
# one CPU at half speed (a cgroup the bench makes; needs root, says so and exits 0 without).
bench-old-laptop: $(STAMP)
	$(BIN)/python -m bench.old_laptop

# The judge terminal: launch, keystroke-to-total and memory with 200 contestants.
bench-terminal: $(STAMP)
	$(BIN)/python -m bench.terminal

# The judge terminal driven only by keys in tmux (80x24) against `head-judge serve`:
# enrol, score three contestants, see them synced. Needs tmux.
tui-script: $(STAMP)
	$(BIN)/python -m tests.judge_terminal.tmux_run --show

# Offline installer: wheels for Windows x64, macOS arm64/x86_64 and Linux x86_64, CPython
# 3.11-3.13, plus install.sh / install.bat (installer/README.md). Needs the network.
wheelhouse: $(STAMP)
	$(BIN)/python installer/build_wheelhouse.py --out wheelhouse

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The chaos suite's long versions (tests/chaos; about 15 minutes on 2 cores, needs root for
# the network namespaces). Each scenario's figures, duration and command are recorded in
# build/chaos-results/<scenario>.long.json, which `make report` puts in the docs.
chaos: $(STAMP)
	CHAOS_LONG=1 $(BIN)/pytest -s -v tests/chaos

# Generate docs/reliability.md and docs/performance.md from a real run (never by hand): the
# short chaos versions and bench/ now, with the long versions as last recorded by `make chaos`.
# REPORT_ARGS passes options, e.g. REPORT_ARGS="--out /tmp/docs --skip-bench".
report: $(STAMP)
	$(BIN)/python tools/report.py $(REPORT_ARGS)
