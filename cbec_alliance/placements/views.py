"""Routes under /api/v1/placements: the placement, its terms, its lifecycle, its mentors.
The documents (agreement, insurance, grades, certificate) are in `views_documents`."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate

from . import access, completion, mentors, services, views_documents
from .blueprint import blp
from .examples import PLACEMENT_EXAMPLE, TERMINATE_EXAMPLE
from .schemas import (
    MentoringArgs,
    MentorInSchema,
    PlacementDetailSchema,
    PlacementListArgs,
    PlacementPageSchema,
    PlacementSchema,
    TerminateSchema,
    TermsSchema,
)

__all__ = ["blp", "views_documents"]


@blp.route("/placements")
class Placements(MethodView):
    """Placements."""

    @login_required
    @blp.arguments(PlacementListArgs, location="query")
    @blp.response(200, PlacementPageSchema)
    def get(self, args):
        """The placements the caller may see: their own (students), their organization's
        (staff), those they mentor; every one for coordinators. Newest first."""
        return paginate(services.listing(me(), args), args)


@blp.route("/placements/mentoring")
class Mentoring(MethodView):
    """A mentor's students."""

    @login_required
    @blp.arguments(MentoringArgs, location="query")
    @blp.response(200, PlacementPageSchema)
    def get(self, args):
        """The placements the caller mentors (school or enterprise), by first day."""
        return mentors.mentoring_page(me(), args)


@blp.route("/placements/<int:placement_id>")
class PlacementItem(MethodView):
    """One placement."""

    @login_required
    @blp.response(200, PlacementDetailSchema, example=PLACEMENT_EXAMPLE)
    def get(self, placement_id):
        """The placement, every rule for it (`checks`: missing before it may start, broken,
        not checkable) and the steps that may follow. Its student, both sides' staff, its
        mentors and coordinators; 404 for anyone else."""
        return services.detail(access.get_visible(placement_id, me()))

    @login_required
    @blp.arguments(TermsSchema, example={"hours_per_day": 7.5, "work_ends_at": "16:30:00"})
    @blp.response(200, PlacementSchema)
    def patch(self, data, placement_id):
        """Change the terms while `preparing` (university or enterprise staff). Terms that
        break a rule are a 409 naming each rule with its clause; a change makes a new
        agreement version and every party signs again."""
        return services.update_terms(me(), access.get_for_update(placement_id, me()), data)


@blp.route("/placements/<int:placement_id>/activate")
class Activate(MethodView):
    """Start the placement."""

    @login_required
    @blp.response(200, PlacementSchema)
    def post(self, placement_id):
        """preparing -> active (any party). 409 naming each missing piece: signatures (and a
        guardian's under 18), insurance covering every day, both mentors, the first day
        reached, and any rule broken. Beat starts ready placements on their first day."""
        return services.activate(me(), access.get_for_update(placement_id, me()))


@blp.route("/placements/<int:placement_id>/terminate")
class Terminate(MethodView):
    """End the placement early."""

    @login_required
    @blp.arguments(TerminateSchema, example=TERMINATE_EXAMPLE)
    @blp.response(200, PlacementSchema)
    def post(self, data, placement_id):
        """preparing | active | suspended -> terminated (the student or either side's
        staff), with a reason code and text."""
        return services.terminate(me(), access.get_for_update(placement_id, me()), data)


@blp.route("/placements/<int:placement_id>/complete")
class Complete(MethodView):
    """Complete the placement."""

    @login_required
    @blp.response(200, PlacementSchema)
    def post(self, placement_id):
        """active -> completed (either side's staff or a mentor): needs both mentors' grades
        and the minimum reviewed weekly logs (409 naming what is missing). The final grade
        weighs the school mentor's `PLACEMENT_SCHOOL_WEIGHT` percent; a certificate code is
        issued, and the application completes with the placement."""
        return completion.complete(me(), access.get_for_update(placement_id, me()))


@blp.route("/placements/<int:placement_id>/mentors")
class Mentors(MethodView):
    """The placement's mentors."""

    @login_required
    @blp.arguments(MentorInSchema, example={"role": "school", "mentor_id": 42})
    @blp.response(200, PlacementSchema)
    def post(self, data, placement_id):
        """Assign (or replace) the school mentor (by university staff, one of theirs) or the
        enterprise mentor (by enterprise staff). A mentor holds at most
        `PLACEMENT_MENTOR_MAX_STUDENTS` open placements (409 beyond)."""
        placement = access.get_for_update(placement_id, me())
        return mentors.assign(me(), placement, data["role"], data["mentor_id"])
