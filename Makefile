# Masterbus — `make run` starts the platform, `make test` runs every test. Both set up a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: setup setup-run run test test-scaleout lock upgrade lint format bench clean

# Packages come only from the lock files, every one checked against its hashes (README "Upgrading
# dependencies"): requirements.txt for `make run`, requirements-dev.txt (runtime, tests,
# scale-out) for `make test`. pyproject.toml keeps the ranges; `make lock` / `make upgrade` resolve.
define install_locked
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) scripts/lockcheck.py
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(1)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	$(PY) -m masterbus.engine.warmup
endef

setup: $(STAMP)

$(STAMP): pyproject.toml requirements-dev.txt
	$(call install_locked,requirements-dev.txt)
	touch $(STAMP) $(RUN_STAMP)

setup-run: $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml requirements.txt
	$(call install_locked,requirements.txt)
	touch $(RUN_STAMP)

run: setup-run
	$(VENV)/bin/masterbus serve

# Re-resolve after a change of pyproject.toml (keeping every other pin), or everything to the
# newest versions the ranges allow; then `make test` and commit pyproject.toml with the locks.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --all-build-deps

lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt  # pip-tools
	$(PIP_COMPILE) $(UPGRADE) --extra dev --extra scaleout -o requirements-dev.txt pyproject.toml
	rm -f requirements.txt
	$(PIP_COMPILE) -c requirements-dev.txt -o requirements.txt pyproject.toml
	$(PY) scripts/lockcheck.py --write

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# Browser tests drive Debian's chromium through Playwright (Playwright's own download is not used).
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

# Every test on the embedded default and every test again on the scale-out stack, the two suites
# side by side (they share nothing: each has its own data folder, database and ports; together
# they keep both cores busy). The scale-out suite's output follows the embedded one's; make test
# fails if either fails.
test: setup $(CHROMIUM)
	$(PY) scripts/lockcheck.py
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	@log=$$(mktemp /tmp/masterbus-scaleout-XXXXXX.log); \
	$(MAKE) --no-print-directory test-scaleout >$$log 2>&1 & scaleout=$$!; \
	$(VENV)/bin/pytest; embedded=$$?; \
	wait $$scaleout; status=$$?; \
	echo; echo "==== the scale-out suite, run alongside ===="; cat $$log; rm -f $$log; \
	echo "make test: embedded suite exit $$embedded, scale-out suite exit $$status"; \
	test $$embedded -eq 0 -a $$status -eq 0

# The whole suite again on the scale-out stack: PostgreSQL, Redis with RQ workers and S3 storage
# (moto's server), installed and started on loopback under a temporary folder, then stopped. The
# browser tests' live server runs on it too; tests/scaleout/plugin.py skips, each with its reason,
# only the tests that by nature read local disk paths.
test-scaleout: setup $(CHROMIUM)
	@dir=$$(mktemp -d /tmp/masterbus-scaleout-XXXXXX); \
	if ! scripts/scaleout-services.sh start $$dir; then scripts/scaleout-services.sh stop $$dir; exit 1; fi; \
	. $$dir/env; $(PY) -m pytest -p tests.scaleout.plugin; status=$$?; \
	scripts/scaleout-services.sh stop $$dir; exit $$status

lint: setup
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

bench: setup
	$(PY) bench/engine_bench.py
	$(PY) bench/mp3_bench.py --song-only
	$(PY) bench/previews_bench.py
	$(PY) bench/reference_bench.py
	$(PY) bench/memory_bench.py
	$(PY) bench/upload_bench.py
	$(PY) bench/status_bench.py
	$(PY) bench/status_bench.py --api --clients 100
	$(PY) bench/booking_bench.py
	$(PY) bench/worker_bench.py
	$(PY) bench/platform_bench.py
	$(PY) bench/analytics_bench.py
	$(PY) bench/security_bench.py
	$(PY) bench/recovery_codes_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
