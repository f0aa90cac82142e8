"""Routes: your personal data (download, erase) and the coordinators' list of requests."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.core.pagination import paginate
from cbec_alliance.privacy import services
from cbec_alliance.privacy.schemas import (
    ErasureSchema,
    PersonalDataSchema,
    PrivacyRequestArgsSchema,
    PrivacyRequestPage,
    PrivacyRequestSchema,
)

blp = Blueprint(
    "privacy",
    __name__,
    url_prefix="/api/v1",
    description="Personal data (个人信息): download everything held about you, or erase it",
)


@blp.route("/auth/me/personal-data")
class PersonalData(MethodView):
    """Your data."""

    @login_required
    @blp.response(200, PersonalDataSchema)
    def post(self):
        """Download everything the platform holds about you, as JSON (recorded as a request)."""
        data = services.export_for(me())
        return data, {"Content-Disposition": 'attachment; filename="personal-data.json"'}


@blp.route("/auth/me/erasure")
class Erasure(MethodView):
    """Erase your account's personal data."""

    @login_required
    @blp.arguments(ErasureSchema)
    @blp.response(200, PrivacyRequestSchema)
    def post(self, data):
        """Erase your name, email and personal fields; counts and audits keep a pseudonym.

        You are logged out everywhere and the account cannot log in again. Refused (409)
        while you are the only admin of an organization or the last coordinator.
        """
        return services.erase(me(), data["password"])


@blp.route("/privacy-requests")
class PrivacyRequests(MethodView):
    """Every export and erasure (coordinators)."""

    @login_required
    @blp.arguments(PrivacyRequestArgsSchema, location="query")
    @blp.response(200, PrivacyRequestPage)
    def get(self, args):
        """Requests newest first, optionally one kind."""
        require_coordinator()
        return paginate(services.requests(args.get("kind")), args)
