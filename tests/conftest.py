"""Test fixtures: the schema is built once by migrations; each test rolls back a savepoint.

TEST_DATABASE_URL names the database (CI: the machine's PostgreSQL); without it a SQLite
file is used. TEST_REDIS_URL names a Redis for the tests that run a real Celery worker.
With CBEC_REQUIRE_SERVICES=1 (set by .ci/run) a missing service fails the run instead of
skipping those tests.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from cbec_alliance import create_app
from cbec_alliance.core import db as core_db
from cbec_alliance.extensions import db, limiter
from cbec_alliance.notifications import outbox
from tests import factories, ownership

REQUIRE_SERVICES = os.environ.get("CBEC_REQUIRE_SERVICES") == "1"


def _isolate_xdist_worker() -> None:
    """Give each pytest-xdist worker its own database and Redis database.

    The suite runs on every core (`-n auto`); workers that shared one schema would truncate
    each other's committed rows and flush each other's Celery queues.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ...
    if not worker:
        return
    index = int(worker.removeprefix("gw"))
    db_url = os.environ.get("TEST_DATABASE_URL")
    if db_url and db_url.startswith(("postgresql", "postgres:")):
        import psycopg
        from psycopg import sql

        url = sa.make_url(db_url)
        name = f"{url.database}_{worker}"
        with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if exists.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(
            hide_password=False
        )
    elif not db_url and not os.environ.get("DATABASE_URL"):
        from config.settings import INSTANCE_DIR

        INSTANCE_DIR.mkdir(exist_ok=True)
        # TEST_SQLITE_NAME keeps parallel runs of the suite (several checkouts' helpers)
        # out of each other's files.
        name = os.environ.get("TEST_SQLITE_NAME", "test")
        os.environ["DATABASE_URL"] = f"sqlite:///{INSTANCE_DIR / f'{name}_{worker}.db'}"
    redis_url = os.environ.get("TEST_REDIS_URL")
    if redis_url:
        from urllib.parse import urlsplit

        parts = urlsplit(redis_url)
        base = int(parts.path.strip("/") or 0)
        os.environ["TEST_REDIS_URL"] = parts._replace(path=f"/{base + index}").geturl()


_isolate_xdist_worker()


def service_url(name: str) -> str:
    """The URL of a test service (TEST_REDIS_URL...); skip, or fail under CI, when unset."""
    url = os.environ.get(name)
    if not url:
        message = f"{name} is not set: this test needs a real service"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return url


def _reset_schema(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


@pytest.fixture
def redis_url():
    """TEST_REDIS_URL, emptied before the test so no stale task or counter is left."""
    import redis

    url = service_url("TEST_REDIS_URL")
    redis.Redis.from_url(url).flushdb()
    return url


class _TestScopedSession(scoped_session):
    """The test's one session: at the end of each app context expire, do not close.

    Closing would detach the rows the test holds; expiring makes the next request read
    fresh state from the database, as a new session would.
    """

    def remove(self) -> None:
        if self.registry.has():
            self.registry().expire_all()

    def really_remove(self) -> None:
        super().remove()


class ApiClient(FlaskClient):
    """A test client that sends the CSRF header on writes once it has logged in."""

    csrf: str | None = None
    bearer: str | None = None

    def open(self, *args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if self.csrf and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = self.csrf
        if self.bearer and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.bearer}"
        kwargs["headers"] = headers
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The app on the test database, schema built once through Alembic."""
    application = create_app("testing")
    application.test_client_class = ApiClient
    ownership.install(db.Model.registry.mappers)
    _reset_schema(application)
    # The Limiter is one object shared by every app a test builds; remember this app's state.
    application.extensions["test_limiter_state"] = dict(limiter.__dict__)
    return application


def _truncate_all(app) -> None:
    # Committed tests clean up after themselves; the taxonomy seed stays.
    keep = {"taxonomy_items", "alembic_version"}
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name not in keep]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(table.delete())
        db.session.remove()


@pytest.fixture(autouse=True)
def _only_owners_write():
    """Fail a test in which one domain wrote another domain's table (tests/ownership.py)."""
    ownership.violations.clear()
    yield
    found = sorted(set(ownership.violations))
    ownership.violations.clear()
    assert found == [], "a domain wrote a table it does not own:\n" + "\n".join(found)


@pytest.fixture(autouse=True)
def _db_transaction(request, app):
    """Run each test inside a transaction that is rolled back at the end.

    Tests marked `committed` (real workers, concurrency) commit for real instead, and the
    tables are emptied afterwards.
    """
    limiter.__dict__.update(app.extensions["test_limiter_state"])
    limiter.reset()
    if request.node.get_closest_marker("committed"):
        _truncate_all(app)
        factories.bind(db.session)
        try:
            yield
        finally:
            outbox.stop_relays()
            _truncate_all(app)
        return
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    # One session for the whole test (requests and factories share it); requests still
    # run in their own app contexts, so `g` and Flask-Login state never leak between them.
    db.session = _TestScopedSession(factory, scopefunc=lambda: "test")
    factories.bind(db.session)
    # Reads outside the session must see this test's rows too.
    core_db.READ_CONNECTION = lambda: contextlib.nullcontext(db.session.connection())
    try:
        yield
    finally:
        # A relay thread left retrying would use the next test's shared session.
        outbox.stop_relays()
        core_db.READ_CONNECTION = core_db._autocommit_connection
        db.session.really_remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app) -> ApiClient:
    """An anonymous API client."""
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An app context for tests that touch services or factories directly."""
    with app.app_context():
        yield


def login(app, user, password: str = factories.PASSWORD) -> ApiClient:
    """A client logged in with a session cookie (CSRF header set automatically)."""
    c = app.test_client()
    resp = c.post("/api/v1/auth/login", json={"email": user.email, "password": password})
    assert resp.status_code == 200, resp.get_json()
    c.csrf = resp.get_json()["csrf_token"]
    return c


@pytest.fixture
def as_user(app):
    """Factory fixture: `as_user(user)` gives a logged-in client."""
    return lambda user: login(app, user)


@pytest.fixture
def coord(as_user):
    """A logged-in coordinator client; its user is `coord.user`."""
    user = factories.CoordinatorFactory()
    c = as_user(user)
    c.user = user
    return c
