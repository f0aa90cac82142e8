"""CBEC Alliance: the Flask application factory."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

from cbec_alliance.core.guards import register_input_guards
from config import BaseConfig, load_config

if TYPE_CHECKING:
    from flask.json.provider import DefaultJSONProvider
    from flask_smorest import Blueprint

__all__ = ["create_app", "settle_process"]


class App(Flask):
    """Flask, asking once per function whether it is a coroutine.

    Flask asks for every hook and view on every request (`ensure_sync`, an `inspect` call
    each: 14 a request here, about 50 microseconds); the answer never changes for a
    function. It is remembered per underlying function, so a bound method of a view made
    anew for every request (MethodView) hits the same entry and nothing accumulates.
    """

    # Flask's default provider (create_app sets its ensure_ascii and sort_keys), not the base.
    json: DefaultJSONProvider

    def ensure_sync(self, func):
        """`func` itself when it is a plain function, else Flask's wrapper."""
        plain = self.__dict__.setdefault("_plain_functions", {})
        target = getattr(func, "__func__", func)
        try:
            is_plain = plain[target]
        except KeyError:
            is_plain = plain[target] = super().ensure_sync(func) is func
        except TypeError:  # unhashable: ask every time
            return super().ensure_sync(func)
        return func if is_plain else super().ensure_sync(func)


def create_app(config: BaseConfig | str | None = None) -> Flask:
    """Build the app from a settings object, a CBEC_CONFIG name, or the environment."""
    if not isinstance(config, BaseConfig):
        config = load_config(config)
    app = App(__name__, instance_relative_config=False)
    app.config.from_object(config)
    app.config["CBEC_CONFIG"] = config.ENV_NAME
    app.json.ensure_ascii = False  # Chinese text goes out as UTF-8, not \u escapes
    app.json.sort_keys = False
    register_logging(app)
    register_proxy_fix(app)
    register_input_guards(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    """Log to stderr at INFO, JSON lines with request ids (gunicorn and Celery collect it).

    Left alone when the root logger already has a handler (a test runner's, an embedding
    program's): the process's owner decides where its lines go.
    """
    from cbec_alliance.core.requestlog import configure_logging, register_request_ids

    if not logging.getLogger().handlers:
        configure_logging(app.config["LOG_FORMAT"])
        logging.getLogger("alembic").setLevel(logging.WARNING)
    register_request_ids(app)


def register_proxy_fix(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme and host
    from their X-Forwarded-* headers (werkzeug's ProxyFix); with 0, ignore those headers."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def register_extensions(app: Flask) -> None:
    """Bind the extensions, the auth edge, the transaction edge and Celery."""
    from cbec_alliance.accounts.auth import register_auth
    from cbec_alliance.core.db import register_transaction_edge
    from cbec_alliance.core.i18n import register_i18n
    from cbec_alliance.core.links import register_link_headers
    from cbec_alliance.core.metrics import register_metrics
    from cbec_alliance.core.tasks import celery_init_app
    from cbec_alliance.extensions import api, babel, db, limiter, mail, migrate

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Plan each statement for its own parameters: `q` patterns and filter values differ
        # in selectivity by orders of magnitude, and a cached generic plan picked for one
        # (say a trigram bitmap scan) can be 4x slower for another (docs/benchmarks.md).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {
            **options.get("connect_args", {}),
            "options": "-c plan_cache_mode=force_custom_plan",
        }
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True
    )
    limiter.init_app(app)
    _limiter_only_where_used(app)
    mail.init_app(app)
    register_transaction_edge(app)
    # After the transaction edge: Flask runs after-request hooks last-registered first, so the
    # response's language is read while the request's user is still loaded, not reloaded
    # after the commit expired it (5 round trips per authenticated request).
    register_i18n(app, babel)
    register_link_headers(app)
    register_metrics(app)
    register_auth(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "personal API token"}
    )
    api.spec.components.security_scheme(
        "cookie", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    celery_init_app(app)
    _import_models()


def _limiter_only_where_used(app: Flask) -> None:
    """No limit applies to every route: a route that has one checks it in its decorator.

    So the hooks flask-limiter adds to every request (0.25 ms with its storage lookups,
    headers we do not send, a context every request discards anyway) are taken out again.
    """
    from cbec_alliance.extensions import limiter

    def ours(func) -> bool:
        return getattr(func, "__self__", None) is limiter or any(
            arg is limiter for arg in getattr(func, "args", ())
        )

    every_hook: tuple[dict[Any, list[Any]], ...] = (
        app.before_request_funcs,
        app.after_request_funcs,
        app.teardown_request_funcs,
    )
    for hooks in every_hook:
        hooks[None] = [func for func in hooks.get(None, []) if not ours(func)]


def _migrations_dir() -> Path:
    """The Alembic scripts: the source tree's migrations/, else the copy an installed wheel
    carries inside the package (pyproject's force-include)."""
    from config.settings import BASE_DIR

    source = BASE_DIR / "migrations"
    return source if (source / "env.py").is_file() else Path(__file__).parent / "migrations"


# Every domain package, in registration order. Each may have models.py, events.py (its
# notification events), hooks.py (the hooks it provides to lower floors, core.hooks) and
# views.py (its Blueprint).
DOMAINS = (
    "health",
    "accounts",
    "organizations",
    "taxonomy",
    "audit",
    "notifications",
    "documents",
    "students",
    "internships",
    "applications",
    "recommendations",
    "courses",
    "training_bases",
    "competitions",
    "lectures",
    "matching",
    "partnerships",
    "placements",
    "careers",
    "calendar",
    "teaching",
    "programmes",
    "destinations",
    "policies",
    "indicators",
    "rosters",
    "conversations",
    "monitoring",
    "surveys",
    "insights",
    "reports",
    "privacy",
)


def _domain_module(domain: str, name: str):
    try:
        return importlib.import_module(f"cbec_alliance.{domain}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"cbec_alliance.{domain}.{name}":
            raise
        return None


def domain_modules(domain: str, kind: str) -> list:
    """The domain's `kind` module (`models`) and any `<part>_<kind>` ones (`records_models`):
    a large domain may split its models, events and routes over several modules."""
    main = _domain_module(domain, kind)
    package = importlib.import_module(f"cbec_alliance.{domain}")
    parts = sorted(
        info.name
        for info in pkgutil.iter_modules(getattr(package, "__path__", []))
        if info.name.endswith(f"_{kind}")
    )
    return [m for m in (main, *(_domain_module(domain, p) for p in parts)) if m is not None]


def _import_models() -> None:
    # Every model module, so metadata (and Alembic autogenerate) sees all tables, and every
    # domain's notification events, so the catalogue knows them in web and worker processes.
    for domain in DOMAINS:
        domain_modules(domain, "models")
        domain_modules(domain, "events")
        _domain_module(domain, "hooks")
        # The kinds of object its documents attach to (documents.kinds).
        _domain_module(domain, "attachments")


def register_blueprints(app: Flask) -> None:
    """Register every domain's flask-smorest Blueprint and the docs assets.

    Every views module is imported first: a higher floor may add routes to a lower one's
    Blueprint (insights adds partner matching to partnerships'), and flask-smorest takes a
    Blueprint's routes when it is registered. Each Blueprint is registered once.
    """
    from cbec_alliance.console import register_console
    from cbec_alliance.core.docs import docs_assets
    from cbec_alliance.extensions import api

    blueprints: dict[int, Blueprint] = {}
    for domain in DOMAINS:
        for views in domain_modules(domain, "views"):
            blueprints.setdefault(id(views.blp), views.blp)
    for blueprint in blueprints.values():
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_assets)
    register_console(app)


def register_error_handlers(app: Flask) -> None:
    """Database refusals become 409/422 problems, never 500."""
    from flask_babel import gettext as _
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError

    from cbec_alliance.core.api import problem_response
    from cbec_alliance.extensions import db

    @app.errorhandler(IntegrityError)
    def _integrity(exc):
        db.session.rollback()
        app.logger.info("integrity error: %s", exc.orig)
        return problem_response(409, _("The change conflicts with existing data."))

    @app.errorhandler(OperationalError)
    def _unavailable(exc):
        # The database is down, or (SQLite) another writer held the write lock past the busy
        # timeout: nothing was written, and trying again shortly will do.
        db.session.rollback()
        app.logger.warning("database unavailable: %s", exc.orig)
        return problem_response(
            503, _("The database is busy or unavailable; try again."), headers={"Retry-After": "2"}
        )

    @app.errorhandler(DataError)
    def _data(exc):
        db.session.rollback()
        app.logger.info("data error: %s", exc.orig)
        return problem_response(422, _("The database refused a value in the request."))


def register_commands(app: Flask) -> None:
    """Register the `flask` CLI commands."""
    from cbec_alliance.cli import register
    from cbec_alliance.core.catalogue import register_commands as register_catalogue

    register(app)
    register_catalogue(app)


def settle_process() -> None:
    """Once a serving process has loaded the app: load what the charts need, then move every
    object alive now out of the garbage collector's reach (`gc.freeze`).

    The app holds a few hundred thousand long-lived objects (SQLAlchemy, marshmallow, NumPy,
    matplotlib). Each full collection walked all of them, and a request that allocated enough
    (a chart, an XLSX, a big page) paid for it: charts drawn afresh took 151-509 ms at p95,
    the worst draw 599 ms against 156 ms frozen (docs/benchmarks.md). Objects created later
    are collected as usual. gunicorn calls this from `post_worker_init`; the benchmarks that
    measure in-process call it too, to measure what a worker does.
    """
    import gc

    from cbec_alliance.core.exports import prepare_charts

    prepare_charts()
    gc.collect()
    gc.freeze()
