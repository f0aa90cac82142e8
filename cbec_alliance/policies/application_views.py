"""Routes under /api/v1/policy-applications: one's applications and the review steps."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.documents.briefs import AttachInSchema, DocumentBriefSchema

from . import applications, attached
from .schemas import (
    PolicyApplicationListArgs,
    PolicyApplicationPage,
    PolicyApplicationSchema,
    PolicyApproveSchema,
    PolicyDisburseSchema,
    PolicyReasonSchema,
    PolicyResubmitSchema,
)

blp = Blueprint(
    "policy_applications",
    __name__,
    url_prefix="/api/v1/policy-applications",
    description="Applications to policies: review, approval within the budget, disbursement",
)


@blp.route("")
class ApplicationList(MethodView):
    """Applications."""

    @login_required
    @blp.arguments(PolicyApplicationListArgs, location="query")
    @blp.response(200, PolicyApplicationPage)
    def get(self, args):
        """Applications the caller may see, newest first: their organizations' own
        (admins), those to their government's policies (its admins and staff), all for
        coordinators."""
        return paginate(applications.listing(args, me()), args)


@blp.route("/<int:application_id>")
class ApplicationItem(MethodView):
    """One application."""

    @login_required
    @blp.response(200, PolicyApplicationSchema)
    def get(self, application_id):
        """An application with its eligibility evidence (404 outside its parties)."""
        return applications.get_visible(application_id, me())


@blp.route("/<int:application_id>/documents")
class ApplicationDocuments(MethodView):
    """Documents attached to an application."""

    @login_required
    @blp.response(200, DocumentBriefSchema(many=True))
    def get(self, application_id):
        """The documents (whoever sees the application)."""
        return attached.listing(applications.get_visible(application_id, me()))

    @login_required
    @blp.arguments(AttachInSchema)
    @blp.response(201, DocumentBriefSchema(many=True))
    def post(self, data, application_id):
        """Attach one of my uploads (the applicant's admins, while submitted or asked for
        more information)."""
        app = applications.get_visible(application_id, me())
        return attached.attach(me(), app, data["document_id"])


@blp.route("/<int:application_id>/documents/<int:document_id>")
class ApplicationDocument(MethodView):
    """One attached document."""

    @login_required
    @blp.response(204)
    def delete(self, application_id, document_id):
        """Remove it (the applicant's admins, while editable)."""
        app = applications.get_visible(application_id, me())
        attached.detach(me(), app, document_id)


def _step(verb: str, application_id: int, data: dict):
    return applications.act(me(), applications.get_visible(application_id, me()), verb, data)


@blp.route("/<int:application_id>/request-info")
class RequestInfo(MethodView):
    """submitted -> more_info_requested."""

    @login_required
    @blp.arguments(PolicyReasonSchema)
    @blp.response(200, PolicyApplicationSchema)
    def post(self, data, application_id):
        """Ask the applicant for more (the issuer's reviewers), saying what."""
        return _step("request-info", application_id, data)


@blp.route("/<int:application_id>/resubmit")
class Resubmit(MethodView):
    """more_info_requested -> submitted."""

    @login_required
    @blp.arguments(PolicyResubmitSchema)
    @blp.response(200, PolicyApplicationSchema)
    def post(self, data, application_id):
        """Answer with what was asked (the applicant's admins); eligibility is checked again."""
        return _step("resubmit", application_id, data)


@blp.route("/<int:application_id>/approve")
class Approve(MethodView):
    """submitted -> approved."""

    @login_required
    @blp.arguments(PolicyApproveSchema)
    @blp.response(200, PolicyApplicationSchema)
    def post(self, data, application_id):
        """Approve an amount (the issuer's reviewers): 409 naming the maximum per applicant
        or the remaining budget when over it; approvals never pass the budget, even at once."""
        return _step("approve", application_id, data)


@blp.route("/<int:application_id>/reject")
class Reject(MethodView):
    """submitted | more_info_requested -> rejected."""

    @login_required
    @blp.arguments(PolicyReasonSchema)
    @blp.response(200, PolicyApplicationSchema)
    def post(self, data, application_id):
        """Reject with a reason (the issuer's reviewers)."""
        return _step("reject", application_id, data)


@blp.route("/<int:application_id>/disburse")
class Disburse(MethodView):
    """approved -> disbursed."""

    @login_required
    @blp.arguments(PolicyDisburseSchema)
    @blp.response(200, PolicyApplicationSchema)
    def post(self, data, application_id):
        """Record the payment of the approved amount, with its reference (the reviewers)."""
        return _step("disburse", application_id, data)


@blp.route("/<int:application_id>/withdraw")
class Withdraw(MethodView):
    """submitted | more_info_requested -> withdrawn."""

    @login_required
    @blp.response(200, PolicyApplicationSchema)
    def post(self, application_id):
        """Withdraw (the applicant's admins); the organization may apply again."""
        return _step("withdraw", application_id, {})
