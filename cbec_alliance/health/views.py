"""GET /healthz and /readyz."""

from __future__ import annotations

import marshmallow as ma
import redis
import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from cbec_alliance.core.api import problem_response
from cbec_alliance.core.schemas import OutSchema
from cbec_alliance.extensions import db

blp = Blueprint("health", __name__, description="Liveness and readiness")


class HealthSchema(OutSchema):
    """`{status, checks}`."""

    status = ma.fields.String()
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


def _check_database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        return f"failed: {type(exc).__name__}"


def _check_broker() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "ok (in-process tasks)"
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as exc:  # connection refused, timeout, auth: all "not ready"
        return f"failed: {type(exc).__name__}"


ALIVE = b'{"checks": {}, "status": "ok"}\n'


@blp.route("/healthz")
class Health(MethodView):
    """Liveness."""

    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """200 while the process is up."""
        # The hottest route of all (every load balancer asks it every few seconds): the
        # answer never changes, so it is encoded once instead of dumped and encoded anew.
        return current_app.response_class(ALIVE, mimetype="application/json")


@blp.route("/readyz")
class Ready(MethodView):
    """Readiness."""

    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="The database or the broker does not answer")
    def get(self):
        """200 only when the database and the broker answer; 503 naming the failed one."""
        checks = {"database": _check_database(), "broker": _check_broker()}
        failed = [name for name, result in checks.items() if not result.startswith("ok")]
        if failed:
            resp = problem_response(503, _("not ready: %(failed)s", failed=", ".join(failed)))
            return resp
        return {"status": "ok", "checks": checks}
