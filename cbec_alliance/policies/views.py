"""Routes under /api/v1/policies: policies, eligibility, and applying."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate

from . import applications, services
from .schemas import (
    EligibilityArgs,
    EligibilitySchema,
    PolicyApplicationListArgs,
    PolicyApplicationPage,
    PolicyApplicationSchema,
    PolicyApplyInSchema,
    PolicyCreateSchema,
    PolicyListArgs,
    PolicyPage,
    PolicyPatchSchema,
    PolicySchema,
)

blp = Blueprint(
    "policies",
    __name__,
    url_prefix="/api/v1/policies",
    description="Government subsidies, awards and certifications, and applications to them",
)


@blp.route("")
class Policies(MethodView):
    """Policies."""

    @login_required
    @blp.arguments(PolicyListArgs, location="query")
    @blp.response(200, PolicyPage)
    def get(self, args):
        """Policies, the latest window first: published and closed ones for anyone signed
        in, drafts for their issuer's admins and staff and coordinators."""
        return paginate(services.listing(args, me()), args)

    @login_required
    @blp.arguments(PolicyCreateSchema)
    @blp.response(201, PolicySchema)
    def post(self, data):
        """Add a draft policy (the issuing government's admins and staff, or coordinators).
        A subsidy or award needs a budget and a maximum per applicant."""
        return services.create(me(), data)


@blp.route("/<int:policy_id>")
class PolicyItem(MethodView):
    """One policy."""

    @login_required
    @blp.response(200, PolicySchema)
    def get(self, policy_id):
        """A policy (404 for a draft outside its managers)."""
        return services.get_visible(policy_id, me())

    @login_required
    @blp.arguments(PolicyPatchSchema)
    @blp.response(200, PolicySchema)
    def patch(self, data, policy_id):
        """Change a draft; of a published policy only its texts, closing time and budget."""
        return services.update(me(), services.get_visible(policy_id, me()), data)


@blp.route("/<int:policy_id>/publish")
class Publish(MethodView):
    """draft -> published."""

    @login_required
    @blp.response(200, PolicySchema)
    def post(self, policy_id):
        """Publish a draft (its managers); it takes applications inside its window."""
        return services.transition(me(), services.get_visible(policy_id, me()), "publish")


@blp.route("/<int:policy_id>/close")
class Close(MethodView):
    """published -> closed."""

    @login_required
    @blp.response(200, PolicySchema)
    def post(self, policy_id):
        """Close a published policy (no more applications; reviews go on)."""
        return services.transition(me(), services.get_visible(policy_id, me()), "close")


@blp.route("/<int:policy_id>/eligibility")
class Eligibility(MethodView):
    """Eligibility, with the evidence."""

    @login_required
    @blp.arguments(EligibilityArgs, location="query")
    @blp.response(200, EligibilitySchema)
    def get(self, args, policy_id):
        """Each condition, the figure found in the platform's records and pass/fail, for the
        caller's organization (its admins and staff) or, for the policy's managers, any
        `organization_id`."""
        policy = services.get_visible(policy_id, me())
        return services.eligibility_for(me(), policy, args.get("organization_id"))


@blp.route("/<int:policy_id>/applications")
class PolicyApplications(MethodView):
    """Applications to one policy."""

    @login_required
    @blp.arguments(PolicyApplicationListArgs, location="query")
    @blp.response(200, PolicyApplicationPage)
    def get(self, args, policy_id):
        """The applications the caller may see to this policy (the issuer's reviewers see
        all, an applicant its own)."""
        services.get_visible(policy_id, me())
        return paginate(applications.listing({**args, "policy_id": policy_id}, me()), args)

    @login_required
    @blp.arguments(PolicyApplyInSchema)
    @blp.response(201, PolicyApplicationSchema)
    def post(self, data, policy_id):
        """Apply for the caller's organization (its admins) inside the window; 409 when not
        eligible (naming each unmet condition and the figure found), when already applied,
        or when the amount is over the maximum per applicant or the remaining budget."""
        return applications.apply(me(), services.get_visible(policy_id, me()), data)
