"""Routes under /api/v1/programmes: order classes, apprenticeships, industry colleges."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate

from . import cohorts, services
from .schemas import (
    AnswerSchema,
    CohortMemberListArgs,
    CohortMemberPage,
    CohortMemberSchema,
    OffersSchema,
    OutcomeSchema,
    OutcomesSchema,
    ProgrammeCreateSchema,
    ProgrammeListArgs,
    ProgrammePage,
    ProgrammePatchSchema,
    ProgrammeSchema,
    SelectSchema,
)

blp = Blueprint(
    "programmes",
    __name__,
    url_prefix="/api/v1/programmes",
    description="Order classes, modern apprenticeships and industry colleges, with cohorts",
)


@blp.route("")
class Programmes(MethodView):
    """Programmes."""

    @login_required
    @blp.arguments(ProgrammeListArgs, location="query")
    @blp.response(200, ProgrammePage)
    def get(self, args):
        """Programmes, newest intake first: confirmed, running and closed ones for anyone
        signed in, proposed ones for their university, partners and coordinators."""
        return paginate(services.listing(args, me()), args)

    @login_required
    @blp.arguments(ProgrammeCreateSchema)
    @blp.response(201, ProgrammeSchema)
    def post(self, data):
        """Propose a programme (the university's admins and staff); every partner is asked
        to confirm. An order class's partners each commit to at least one position; an
        apprenticeship names its months at the enterprise a year."""
        return services.create(me(), data)


@blp.route("/<int:programme_id>")
class ProgrammeItem(MethodView):
    """One programme."""

    @login_required
    @blp.response(200, ProgrammeSchema)
    def get(self, programme_id):
        """A programme (404 for a proposed one outside its parties)."""
        return services.get_visible(programme_id, me())

    @login_required
    @blp.arguments(ProgrammePatchSchema)
    @blp.response(200, ProgrammeSchema)
    def patch(self, data, programme_id):
        """Change a proposed programme (the university); a new or changed partner is asked."""
        return services.update(me(), services.get_visible(programme_id, me()), data)


@blp.route("/<int:programme_id>/confirm")
class Confirm(MethodView):
    """A partner's confirmation."""

    @login_required
    @blp.arguments(AnswerSchema)
    @blp.response(200, ProgrammeSchema)
    def post(self, data, programme_id):
        """Confirm for the caller's partner enterprise; the last confirmation confirms the
        programme."""
        programme = services.get_visible(programme_id, me())
        return services.answer(me(), programme, data.get("enterprise_id"), True, None)


@blp.route("/<int:programme_id>/decline")
class Decline(MethodView):
    """A partner's refusal."""

    @login_required
    @blp.arguments(AnswerSchema)
    @blp.response(200, ProgrammeSchema)
    def post(self, data, programme_id):
        """Decline with a reason (422 without); the university may change its partners."""
        programme = services.get_visible(programme_id, me())
        return services.answer(
            me(), programme, data.get("enterprise_id"), False, data.get("reason")
        )


@blp.route("/<int:programme_id>/start")
class Start(MethodView):
    """confirmed -> running."""

    @login_required
    @blp.response(200, ProgrammeSchema)
    def post(self, programme_id):
        """Start a confirmed programme (the university)."""
        return services.transition(me(), services.get_visible(programme_id, me()), "start")


@blp.route("/<int:programme_id>/close")
class Close(MethodView):
    """running -> closed."""

    @login_required
    @blp.response(200, ProgrammeSchema)
    def post(self, programme_id):
        """Close a running programme (the university)."""
        return services.transition(me(), services.get_visible(programme_id, me()), "close")


@blp.route("/<int:programme_id>/offers")
class Offers(MethodView):
    """Positions offered against the commitment."""

    @login_required
    @blp.arguments(OffersSchema)
    @blp.response(200, ProgrammeSchema)
    def put(self, data, programme_id):
        """Record how many positions the caller's partner has offered (once it runs)."""
        programme = services.get_visible(programme_id, me())
        return services.record_offers(me(), programme, data.get("enterprise_id"), data["positions"])


@blp.route("/<int:programme_id>/members")
class Members(MethodView):
    """The cohort."""

    @login_required
    @blp.arguments(CohortMemberListArgs, location="query")
    @blp.response(200, CohortMemberPage)
    def get(self, args, programme_id):
        """Applicants and members (the university, partners, coordinators)."""
        programme = services.get_visible(programme_id, me())
        return paginate(cohorts.members(me(), programme, args), args)

    @login_required
    @blp.response(201, CohortMemberSchema)
    def post(self, programme_id):
        """Apply (students of the programme's university; while confirmed or running)."""
        return cohorts.apply(me(), services.get_visible(programme_id, me()))


@blp.route("/<int:programme_id>/members/mine")
class MyMembership(MethodView):
    """The caller's application."""

    @login_required
    @blp.response(204)
    def delete(self, programme_id):
        """Withdraw the application or give the place back."""
        cohorts.withdraw(me(), services.get_visible(programme_id, me()))


@blp.route("/<int:programme_id>/members/<int:student_id>/selection")
class Selection(MethodView):
    """One side's selection."""

    @login_required
    @blp.arguments(SelectSchema)
    @blp.response(200, CohortMemberSchema)
    def post(self, data, programme_id, student_id):
        """Select or turn down an applicant, for the university or a partner (an order class
        needs both sides; the last selection admits, never beyond the cohort size: 409)."""
        programme = services.get_visible(programme_id, me())
        return cohorts.select(me(), programme, student_id, data)


@blp.route("/<int:programme_id>/members/<int:student_id>/outcome")
class Outcome(MethodView):
    """An admitted member's outcome."""

    @login_required
    @blp.arguments(OutcomeSchema)
    @blp.response(200, CohortMemberSchema)
    def put(self, data, programme_id, student_id):
        """Completed, and hired by which partner (the university, once the programme runs)."""
        programme = services.get_visible(programme_id, me())
        return cohorts.record_outcome(me(), programme, student_id, data)


@blp.route("/<int:programme_id>/outcomes")
class Outcomes(MethodView):
    """The cohort's figures."""

    @login_required
    @blp.response(200, OutcomesSchema)
    def get(self, programme_id):
        """Applicants, admitted, completed, hired by a partner, and commitment fulfilment
        (positions offered over those committed)."""
        return cohorts.outcomes(services.get_visible(programme_id, me()))
