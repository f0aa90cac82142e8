"""Routes under /api/v1/training-bases."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import services
from .schemas import (
    ApproveSchema,
    BaseCreateSchema,
    BaseListArgs,
    BasePage,
    BasePatchSchema,
    RejectSchema,
    ReviewInSchema,
    ReviewSchema,
    SessionInSchema,
    SessionPage,
    SessionSchema,
    TrainingBaseDetailSchema,
    TrainingBaseSchema,
)

blp = Blueprint(
    "training_bases",
    __name__,
    url_prefix="/api/v1",
    description="School-enterprise joint training bases",
)


@blp.route("/training-bases")
class TrainingBases(MethodView):
    """Joint training bases."""

    @blp.doc(security=[])
    @blp.arguments(BaseListArgs, location="query")
    @blp.response(200, BasePage)
    def get(self, args):
        """Approved bases, and the caller's own applications (filters combine)."""
        return paginate(services.listing(args, current_user), args)

    @login_required
    @blp.arguments(BaseCreateSchema)
    @blp.response(201, TrainingBaseSchema)
    def post(self, data):
        """Apply for a base (the host's, or one of its universities', admins and staff)."""
        return services.apply(me(), data)


@blp.route("/training-bases/<int:base_id>")
class TrainingBaseItem(MethodView):
    """One base."""

    @blp.doc(security=[])
    @blp.response(200, TrainingBaseDetailSchema)
    def get(self, base_id):
        """A base with its reviews and utilisation per year and university."""
        return services.detail(services.get_visible(base_id, current_user))

    @login_required
    @blp.arguments(BasePatchSchema)
    @blp.response(200, TrainingBaseSchema)
    def patch(self, data, base_id):
        """Change a base (its host's or universities' admins and staff)."""
        return services.update(me(), services.get_visible(base_id, me()), data)


@blp.route("/training-bases/<int:base_id>/approve")
class Approve(MethodView):
    """The coordinators' yes."""

    @login_required
    @blp.arguments(ApproveSchema)
    @blp.response(200, TrainingBaseSchema)
    def post(self, data, base_id):
        """Approve an application with a level (coordinators)."""
        require_coordinator()
        base = services.get_visible(base_id, me())
        return services.decide(me(), base, True, data["level"], None)


@blp.route("/training-bases/<int:base_id>/reject")
class Reject(MethodView):
    """The coordinators' no."""

    @login_required
    @blp.arguments(RejectSchema)
    @blp.response(200, TrainingBaseSchema)
    def post(self, data, base_id):
        """Reject an application with a reason (coordinators)."""
        require_coordinator()
        base = services.get_visible(base_id, me())
        return services.decide(me(), base, False, None, data["reason"])


@blp.route("/training-bases/<int:base_id>/reviews")
class Reviews(MethodView):
    """Yearly reviews."""

    @login_required
    @blp.arguments(ReviewInSchema)
    @blp.response(201, ReviewSchema)
    def post(self, data, base_id):
        """Review an approved base for a year (coordinators; one per year)."""
        require_coordinator()
        return services.review(me(), services.get_visible(base_id, me()), data)


@blp.route("/training-bases/<int:base_id>/sessions")
class Sessions(MethodView):
    """Sessions of use."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SessionPage)
    def get(self, args, base_id):
        """The sessions, latest first (anyone who may see the base)."""
        return paginate(services.sessions(services.get_visible(base_id, me())), args)

    @login_required
    @blp.arguments(SessionInSchema)
    @blp.response(201, SessionSchema)
    def post(self, data, base_id):
        """Record a day of use (the host's or a university's staff; within capacity)."""
        return services.record_session(me(), services.get_visible(base_id, me()), data)
