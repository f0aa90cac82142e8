# Everyday commands; each installs from the lock first (uv, inside .venv, as the README's
# commands do, so a system Python under PEP 668 is never asked to install anything).
UV = .venv/bin/uv

.PHONY: venv install run demo test test-pg lint format worker beat wheel

# The virtual environment with uv in it.
venv:
	python3 -m venv .venv
	.venv/bin/pip install --quiet uv

install: venv
	$(UV) sync --frozen

# Runtime dependencies only, as the README's first command.
run: venv
	$(UV) run --frozen --no-dev flask --app wsgi serve-demo

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

# The application's wheel (migrations inside, the `cbec-alliance` command) in dist/.
wheel: install
	$(UV) build --wheel
