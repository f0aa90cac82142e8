"""Routes under /api/v1/internships."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.internships import listing, services
from cbec_alliance.internships.schemas import (
    InternshipCreateSchema,
    InternshipListArgs,
    InternshipPageSchema,
    InternshipPatchSchema,
    InternshipSchema,
    ReasonRequiredSchema,
)

blp = Blueprint("internships", __name__, url_prefix="/api/v1", description="Internship postings")


@blp.route("/internships")
class Internships(MethodView):
    """Internship postings."""

    @blp.doc(security=[])
    @blp.arguments(InternshipListArgs, location="query")
    @blp.response(200, InternshipPageSchema)
    def get(self, args):
        """Open postings (filters combine), newest first or by `apply_by`; keyset via `after`.

        Drafts and taken-down postings are listed only for their enterprise's members and
        coordinators (`status=draft`).
        """
        # Straight to JSON (built by PostgreSQL where it runs, see listing.py): the schema
        # above documents the body.
        return listing.page_response(args, current_user)

    @login_required
    @blp.arguments(InternshipCreateSchema)
    @blp.response(201, InternshipSchema)
    def post(self, data):
        """Post an internship as a `draft` (admins and staff of an approved enterprise)."""
        return services.create(me(), data)


@blp.route("/internships/<int:internship_id>")
class InternshipItem(MethodView):
    """One posting."""

    @blp.doc(security=[])
    @blp.response(200, InternshipSchema)
    def get(self, internship_id):
        """A posting (drafts and taken-down ones only for their enterprise and coordinators)."""
        return services.get_visible(internship_id, current_user)

    @login_required
    @blp.arguments(InternshipPatchSchema)
    @blp.response(200, InternshipSchema)
    def patch(self, data, internship_id):
        """Change a posting; an open one must keep the internship rules, applicants are told."""
        posting = services.get_for_staff(internship_id, me())
        return services.update(me(), posting, data)

    @login_required
    @blp.response(204)
    def delete(self, internship_id):
        """Delete a draft (published postings are closed instead)."""
        services.delete(me(), services.get_for_staff(internship_id, me()))


def _step(action: str, summary: str):
    class Step(MethodView):
        @login_required
        @blp.response(200, InternshipSchema)
        def post(self, internship_id):
            posting = services.get_for_staff(internship_id, me())
            return services.transition(me(), posting, action)

    Step.__name__ = f"Internship{action.title()}"
    Step.post.__doc__ = summary
    blp.route(f"/internships/<int:internship_id>/{action}")(Step)


_step("publish", "Publish a draft (409 naming each broken internship rule).")
_step("close", "Stop taking applications.")
_step("reopen", "Open a closed posting again (rules and deadline checked again).")


@blp.route("/internships/<int:internship_id>/take-down")
class InternshipTakeDown(MethodView):
    """Coordinators remove a posting (fraudulent postings are the top complaint)."""

    @login_required
    @blp.arguments(ReasonRequiredSchema)
    @blp.response(200, InternshipSchema)
    def post(self, data, internship_id):
        """Take a posting down with a reason (coordinators)."""
        require_coordinator()
        posting = services.get_visible(internship_id, me())
        return services.transition(me(), posting, "take-down", data["reason"])
