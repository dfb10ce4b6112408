# Masterbus — `make run` starts the platform, `make test` runs every test. Both set up a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-scaleout lint format bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m masterbus.engine.warmup
	touch $(STAMP)

run: setup
	$(VENV)/bin/masterbus serve

# Browser tests drive Debian's chromium through Playwright (Playwright's own download is not used).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

# Every test on the embedded default, then every test again on the scale-out stack.
test: setup $(CHROMIUM)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/pytest
	$(MAKE) test-scaleout

# The whole suite again on the scale-out stack: PostgreSQL, Redis with RQ workers and S3 storage
# (moto's server), installed and started on loopback under a temporary folder, then stopped. The
# browser tests' live server runs on it too; tests/scaleout/plugin.py skips, each with its reason,
# only the tests that by nature read local disk paths.
SCALEOUT_STAMP := $(VENV)/.installed-scaleout

$(SCALEOUT_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,scaleout]'
	touch $@

test-scaleout: $(SCALEOUT_STAMP) $(CHROMIUM)
	@dir=$$(mktemp -d /tmp/masterbus-scaleout-XXXXXX); \
	if ! scripts/scaleout-services.sh start $$dir; then scripts/scaleout-services.sh stop $$dir; exit 1; fi; \
	. $$dir/env; $(PY) -m pytest -p tests.scaleout.plugin; status=$$?; \
	scripts/scaleout-services.sh stop $$dir; exit $$status

lint: setup
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

bench: setup $(SCALEOUT_STAMP)
	$(PY) bench/engine_bench.py
	$(PY) bench/upload_bench.py
	$(PY) bench/status_bench.py
	$(PY) bench/status_bench.py --api --clients 100
	$(PY) bench/worker_bench.py
	$(PY) bench/analytics_bench.py
	$(PY) bench/security_bench.py
	$(PY) bench/recovery_codes_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
