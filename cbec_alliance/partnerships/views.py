"""Routes under /api/v1/partnerships (partner matching, on this Blueprint too, is in
`insights/views.py`: it reads every domain)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.core.pagination import paginate

from . import services
from .schemas import (
    PartnershipCreateSchema,
    PartnershipDetailSchema,
    PartnershipListArgs,
    PartnershipNoteSchema,
    PartnershipPage,
    PartnershipPatchSchema,
    PartnershipReasonSchema,
    PartnershipSchema,
)

blp = Blueprint(
    "partnerships",
    __name__,
    url_prefix="/api/v1",
    description="Enterprise-university partnerships and partner matching",
)


@blp.route("/partnerships")
class Partnerships(MethodView):
    """Partnerships."""

    @login_required
    @blp.arguments(PartnershipListArgs, location="query")
    @blp.response(200, PartnershipPage)
    def get(self, args):
        """Partnerships: all for coordinators and associations, one's own for members.

        `health` filters by the stored health (see `health_checked_at`); `district` matches
        either side's district.
        """
        return paginate(services.listing(args, me()), args)

    @login_required
    @blp.arguments(PartnershipCreateSchema)
    @blp.response(201, PartnershipSchema)
    def post(self, data):
        """Propose a partnership (either side's admins and staff); the other side answers."""
        return services.create(me(), data)


@blp.route("/partnerships/<int:partnership_id>")
class PartnershipItem(MethodView):
    """One partnership."""

    @login_required
    @blp.response(200, PartnershipDetailSchema)
    def get(self, partnership_id):
        """With `activity`, `progress` against the goals and `health`, computed now."""
        return services.detail(services.get_visible(partnership_id, me()))

    @login_required
    @blp.arguments(PartnershipPatchSchema)
    @blp.response(200, PartnershipSchema)
    def patch(self, data, partnership_id):
        """Change modes, dates or goals (either side's admins and staff, until it ends)."""
        return services.update(me(), services.get_visible(partnership_id, me()), data)


WHO = {"other": "the side that did not propose", None: "either side"}


def _lifecycle(verb: str):
    step = services.LIFECYCLE[verb]

    class Action(MethodView):
        @login_required
        @blp.arguments(PartnershipReasonSchema)
        @blp.response(200, PartnershipSchema)
        def post(self, data, partnership_id):
            p = services.get_visible(partnership_id, me())
            return services.act(me(), p, verb, data.get("reason"))

    Action.post.__doc__ = (
        f"{verb.title()}: {' | '.join(step.sources)} -> {step.target} ({WHO[step.party]}).\n\n"
        "By that side's admins and staff; the optional `reason` is kept in `status_reason`."
    )
    Action.__name__ = f"Partnership{verb.title()}"
    blp.route(f"/partnerships/<int:partnership_id>/{verb}")(Action)


for _verb in services.LIFECYCLE:
    _lifecycle(_verb)


@blp.route("/partnerships/<int:partnership_id>/note")
class Note(MethodView):
    """Coordinators' note and flag."""

    @login_required
    @blp.arguments(PartnershipNoteSchema)
    @blp.response(200, PartnershipSchema)
    def post(self, data, partnership_id):
        """Attach a note or flag a partnership (coordinators)."""
        require_coordinator()
        return services.note(me(), services.get_visible(partnership_id, me()), data)
