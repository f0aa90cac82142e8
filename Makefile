# Everyday commands; each installs from the lock first (uv).
UV = python3 -m uv

.PHONY: install run demo test test-pg lint format worker beat

install:
	python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: install
	$(UV) run --frozen flask --app wsgi serve-demo

test: install
	$(UV) run --frozen pytest

# The suite on the local PostgreSQL and Redis, as CI runs it.
test-pg: install
	TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
	TEST_REDIS_URL=redis://127.0.0.1:6379/0 CBEC_REQUIRE_SERVICES=1 \
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

worker: install
	$(UV) run --frozen celery -A tasks worker --loglevel=INFO

beat: install
	$(UV) run --frozen celery -A tasks beat --loglevel=INFO
