"""GET /api/v1/audit-log."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.audit import services
from cbec_alliance.audit.schemas import AuditArgs, AuditEntrySchema
from cbec_alliance.core.errors import forbidden
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
        user = me()
        org_ids = None
        if not user.is_coordinator:
            org_ids = [m.organization_id for m in user.memberships if m.role == "admin"]
            if not org_ids:
                forbidden("only coordinators and organization admins may read the audit log")
            wanted = args.get("organization_id")
            if wanted is not None and wanted not in org_ids:
                forbidden("you are not an admin of that organization")
        return paginate(services.query(organization_ids=org_ids, filters=args), args)
