"""deploy/backup.sh and deploy/restore.sh: a PostgreSQL dump of data made through the API,
restored into an empty database, has every row and passes the integrity check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from cbec_alliance import create_app
from cbec_alliance.core.integrity import check
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.lectures.models import Lecture
from tests import factories
from tests.conftest import REQUIRE_SERVICES
from tests.students.factories import student

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"

pytestmark = pytest.mark.committed


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def databases(app):
    """(source, target): the test database and a new empty one, as libpq URLs."""
    source = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if source.get_backend_name() != "postgresql":
        _unavailable("backup and restore need PostgreSQL: set TEST_DATABASE_URL")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed (Debian: postgresql-client)")
    plain = source.set(drivername="postgresql")
    target = plain.set(database=f"{source.database}_restore")
    admin = plain.render_as_string(hide_password=False)
    name = sql.Identifier(target.database)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield admin, target.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TEST_DATABASE_URL", "REDIS_URL", "CBEC_CONFIG", "DATABASE_URL")
    }
    env.update(
        SECRET_KEY="backup-test-" + "0" * 20,
        CBEC_CLI=f"{sys.executable} -m flask --app wsgi",
        **extra,
    )
    return env


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", *args], cwd=ROOT, env=_env(**env), capture_output=True, text=True, timeout=240
    )


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            tables = [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]
            return {
                t: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(t))) for t in tables
            }
    finally:
        engine.dispose()


def _make_data_through_the_api(app, client, as_user) -> None:
    with app.app_context():
        host = factories.OrganizationFactory()
        staff_user = factories.member(host, "staff")
        university = factories.UniversityFactory()
        students = [student(university) for _ in range(2)]
        db.session.commit()
        host_id = host.id
        staff, *learners = (as_user(u) for u in (staff_user, *students))
    start = utcnow() + timedelta(days=3)
    event = staff.post(
        "/api/v1/events",
        json={
            "kind": "lecture",
            "host_organization_id": host_id,
            "title": "跨境电商备份演练 Backup drill",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 3,
        },
    )
    assert event.status_code == 201, event.get_json()
    for learner in learners:
        url = f"/api/v1/events/{event.get_json()['id']}/registrations"
        assert learner.post(url).status_code == 201
    registered = client.post(
        "/api/v1/auth/register",
        json={"email": "wang.backup@example.cn", "password": "0123456789", "name": "王备份"},
    )
    assert registered.status_code == 201


def test_a_dump_restored_into_an_empty_database_has_every_row_and_passes_the_check(
    app, client, as_user, databases, tmp_path, monkeypatch
):
    source, target = databases
    _make_data_through_the_api(app, client, as_user)

    backup = _run(str(DEPLOY / "backup.sh"), str(tmp_path), DATABASE_URL=source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.is_file()
    assert dump.name.endswith(".dump")
    assert not list(tmp_path.glob("*.partial"))

    restore = _run(str(DEPLOY / "restore.sh"), str(dump), target)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "every counter matches its rows and every rule holds" in restore.stdout
    assert "schema version: 0" in restore.stdout

    counts = _counts(source)
    assert counts["users"] == 4  # the staff member, two students, one registered
    assert counts["event_registrations"] == 2
    assert _counts(target) == counts
    engine = sa.create_engine(target.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        names = conn.scalars(sa.text("SELECT name FROM users WHERE name = '王备份'")).all()
        # The check finds a counter that disagrees with its rows in the restored copy too.
        conn.execute(sa.update(Lecture).values(registered_count=1))
        conn.commit()
    engine.dispose()
    assert names == ["王备份"]
    monkeypatch.setenv("TEST_DATABASE_URL", target)
    restored = create_app("testing")
    with restored.app_context():
        broken = {name: rows for name, rows in check().items() if rows}
        db.session.rollback()
    assert list(broken) == ["counter: event seats"]


def test_restore_refuses_a_database_that_has_tables(databases, tmp_path):
    source, _ = databases
    dump = tmp_path / "any.dump"
    dump.write_bytes(b"")
    refused = _run(str(DEPLOY / "restore.sh"), str(dump), source)
    assert refused.returncode == 1
    assert "restore into an empty one" in refused.stderr


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    refused = _run(str(DEPLOY / "backup.sh"), str(tmp_path), DATABASE_URL="sqlite:///x.db")
    assert refused.returncode == 2
    assert "not a PostgreSQL URL" in refused.stderr
    assert list(tmp_path.iterdir()) == []
