"""Alembic migrations: one head, a clean build from empty, a full round trip, no model drift.

The PostgreSQL tests make and drop their own empty databases on the server TEST_DATABASE_URL
names; without a PostgreSQL there they skip (or fail under CBEC_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cbec_alliance.extensions import db
from tests.conftest import REQUIRE_SERVICES, service_url

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"


def _config() -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _alembic(app, url: str, step: str) -> None:
    """Migrate the database at `url` in-process ("upgrade" to head or "downgrade" to base).

    migrations/env.py uses the connection handed over in `config.attributes`; the app context
    supplies Flask-Migrate's settings (batch mode, type comparison), as `flask db` does.
    """
    config = _config()
    engine = sa.create_engine(_sqlalchemy_url(url))
    try:
        with app.app_context(), engine.begin() as conn:
            config.attributes["connection"] = conn
            if step == "upgrade":
                command.upgrade(config, "head")
            else:
                command.downgrade(config, "base")
    finally:
        engine.dispose()


def _flask_db(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run `flask --app wsgi db ARGS` as an operator would, against `url`."""
    env = {**os.environ, "CBEC_CONFIG": "development", "DATABASE_URL": url}
    for name in ("TEST_DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"


def _state(url: str) -> tuple[set[str], list[str], int]:
    """(tables, alembic versions, taxonomy rows) of the database at `url`."""
    engine = sa.create_engine(_sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            versions = []
            if "alembic_version" in tables:
                versions = list(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
            seeded = 0
            if "taxonomy_items" in tables:
                seeded = conn.scalar(sa.text("SELECT count(*) FROM taxonomy_items"))
        return tables - {"alembic_version"}, versions, seeded
    finally:
        engine.dispose()


def _drift(url: str) -> list:
    """What autogenerate would change to make the database match the models."""
    engine = sa.create_engine(_sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)
    finally:
        engine.dispose()


def _assert_round_trip(app, url: str, *, cli: bool) -> None:
    """Empty -> head -> base -> head; the first upgrade through the CLI when `cli`."""
    model_tables = set(db.metadata.tables)
    head = _script().get_current_head()
    assert _state(url) == (set(), [], 0), "the database must start empty"

    if cli:
        _ok(_flask_db(url, "upgrade"))
    else:
        _alembic(app, url, "upgrade")
    tables, versions, seeded = _state(url)
    assert tables == model_tables
    assert versions == [head]
    assert seeded > 0, "the taxonomy seed is part of the migrations"

    _alembic(app, url, "downgrade")
    assert _state(url) == (set(), [], 0)

    _alembic(app, url, "upgrade")
    assert _state(url)[:2] == (model_tables, [head])
    assert _drift(url) == []


def _postgres_url() -> str:
    url = service_url("TEST_DATABASE_URL")
    if not url.startswith(("postgresql", "postgres:")):
        message = f"TEST_DATABASE_URL is not PostgreSQL ({url.split(':')[0]})"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def empty_postgres():
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    server = sa.make_url(_sqlalchemy_url(_postgres_url()))
    name = f"cbec_migrations_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_single_head():
    heads = _script().get_heads()
    assert len(heads) == 1, f"several Alembic heads, merge them: {heads}"


def test_history_is_one_line_from_base_to_head():
    script = _script()
    revisions = list(script.walk_revisions("base", "heads"))
    files = [p for p in (MIGRATIONS / "versions").glob("*.py") if not p.name.startswith("_")]
    assert len(revisions) == len(files), "a migration file is not on the line to head"
    assert sum(1 for r in revisions if r.down_revision is None) == 1
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple | list) or revision.is_merge_point
        assert callable(getattr(revision.module, "downgrade", None)), revision.revision


def test_postgres_upgrade_from_empty_then_down_to_base_and_up_again(app, empty_postgres):
    _assert_round_trip(app, empty_postgres, cli=True)


def test_postgres_models_and_migrations_agree(app, empty_postgres):
    _alembic(app, empty_postgres, "upgrade")
    assert _drift(empty_postgres) == []
    check = _flask_db(empty_postgres, "check")
    _ok(check)
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_sqlite_upgrade_from_empty_then_down_to_base_and_up_again(app, tmp_path):
    _assert_round_trip(app, f"sqlite:///{tmp_path / 'empty.db'}", cli=False)


def test_sqlite_cli_upgrade_builds_the_models_schema(tmp_path):
    # SQLite is the development default: `flask db upgrade` must build it from nothing.
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    _ok(_flask_db(url, "upgrade"))
    assert _state(url)[:2] == (set(db.metadata.tables), [_script().get_current_head()])
    assert _drift(url) == []
