# Fiscus — `make run` serves on the embedded defaults; `make test` passes the suite.
# Needs only Python 3.11+ and make: uv is installed into .tools/ and pins everything
# else from uv.lock into .venv/.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint format bench bench-scale clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	@touch $@

install: .venv/.synced

run: install
	.venv/bin/fiscus migrate
	.venv/bin/fiscus serve --host $(HOST) --port $(PORT)

# SQLite always; PostgreSQL, Redis (Celery) and Chromium suites run when those are
# reachable and are skipped otherwise (CI sets FISCUS_REQUIRE_SERVICES=1: skips fail).
test: install
	.venv/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff format --check src tests bench migrations
	.venv/bin/ruff check src tests bench migrations
	.venv/bin/mypy
	.venv/bin/lint-imports

format: install
	.venv/bin/ruff format src tests bench migrations
	.venv/bin/ruff check --fix src tests bench migrations

bench: install
	.venv/bin/python bench/bench_api.py

# PostgreSQL at 127.0.0.1:5432 (superuser postgres) and Debian's wrk. Seeds fiscus_bench
# once (10M postings, ~10 min; kept for the next run), then the ledger and API benchmarks.
BENCH_POSTINGS ?= 10000000
bench-scale: install
	PYTHONPATH=. .venv/bin/python bench/seed_ledger.py --postings $(BENCH_POSTINGS)
	PYTHONPATH=. .venv/bin/python bench/bench_ledger_scale.py --postings $(BENCH_POSTINGS)
	PYTHONPATH=. .venv/bin/python bench/bench_api_writes.py --postings $(BENCH_POSTINGS)
	PYTHONPATH=. .venv/bin/python bench/bench_api_reads.py --postings $(BENCH_POSTINGS)

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache test-artifacts
