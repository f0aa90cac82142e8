"""GET /api/v1/audit-log."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.audit import services
from cbec_alliance.audit.schemas import AuditArgs, AuditEntrySchema
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import page_of

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-log", description="Audit log")


@blp.route("")
class AuditLog(MethodView):
    """The audit log."""

    @login_required
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, page_of(AuditEntrySchema))
    def get(self, args):
        """Coordinators see everything; organization admins their own organizations."""
        return paginate(services.visible(current_user, args), args)
