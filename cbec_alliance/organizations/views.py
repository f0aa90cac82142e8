"""Routes under /api/v1/organizations and /api/v1/invitations."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.authz import require_coordinator
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs, page_of
from cbec_alliance.organizations import bulk, coordinators, services
from cbec_alliance.organizations.models import LIFECYCLE
from cbec_alliance.organizations.schemas import (
    AcceptedSchema,
    FirstPasswordSchema,
    InvitationCreatedSchema,
    InvitationCreateSchema,
    InvitationSchema,
    MemberPatchSchema,
    MemberSchema,
    OrganizationCreateSchema,
    OrganizationListArgs,
    OrganizationPatchSchema,
    OrganizationSchema,
    ReasonSchema,
)

blp = Blueprint(
    "organizations",
    __name__,
    url_prefix="/api/v1",
    description="Organizations, members and invitations",
)


@blp.route("/organizations")
class Organizations(MethodView):
    """Organizations of the alliance."""

    @blp.doc(security=[])  # public; a login only widens what `status` may ask for
    @blp.arguments(OrganizationListArgs, location="query")
    @blp.response(200, page_of(OrganizationSchema))
    def get(self, args):
        """Approved organizations (coordinators may filter by any `status`)."""
        return paginate(services.listing(args, current_user), args)

    @login_required
    @blp.arguments(OrganizationCreateSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, data):
        """Register an organization; it starts `pending` and the creator becomes its admin."""
        return services.create(me(), data)


@blp.route("/organizations/<int:org_id>")
class OrganizationItem(MethodView):
    """One organization."""

    @blp.doc(security=[])
    @blp.response(200, OrganizationSchema)
    def get(self, org_id):
        """An approved organization; pending ones only for their members and coordinators."""
        return services.get_visible(org_id, current_user)

    @login_required
    @blp.arguments(OrganizationPatchSchema)
    @blp.response(200, OrganizationSchema)
    def patch(self, data, org_id):
        """Change fields (its admins)."""
        org = services.get_for_member(org_id, me(), roles=("admin",))
        return services.update(me(), org, data)


def _lifecycle(action: str):
    class Step(MethodView):
        @login_required
        @blp.arguments(ReasonSchema)
        @blp.response(200, OrganizationSchema)
        def post(self, data, org_id):
            require_coordinator()
            org = services.get_visible(org_id, me())
            return services.transition(me(), org, action, data.get("reason"))

    Step.__name__ = f"Organization{action.title()}"
    Step.post.__doc__ = f"{action.title()} an organization (coordinators)."
    blp.route(f"/organizations/<int:org_id>/{action}")(Step)


for _action in LIFECYCLE:
    _lifecycle(_action)


@blp.route("/organizations/<int:org_id>/members")
class Members(MethodView):
    """Members of an organization."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(MemberSchema))
    def get(self, args, org_id):
        """Its members (members and coordinators only)."""
        org = services.get_for_member(org_id, me())
        return paginate(services.members(org), args)


@blp.route("/organizations/<int:org_id>/members/<int:user_id>")
class MemberItem(MethodView):
    """One member."""

    @login_required
    @blp.arguments(MemberPatchSchema)
    @blp.response(200, MemberSchema)
    def patch(self, data, org_id, user_id):
        """Change a member's role (its admins); the last admin cannot be demoted."""
        org = services.get_for_member(org_id, me(), roles=("admin",))
        return services.change_role(me(), org, user_id, data["role"])

    @login_required
    @blp.response(204)
    def delete(self, org_id, user_id):
        """Remove a member (its admins), or leave (oneself); never the last admin. A
        coordinator role the government body gave the member goes too."""
        coordinators.remove_member(me(), org_id, user_id)


@blp.route("/organizations/<int:org_id>/members/<int:user_id>/coordinator")
class MemberCoordinator(MethodView):
    """The coordinator role of a government body's member."""

    @login_required
    @blp.response(200, MemberSchema)
    def post(self, org_id, user_id):
        """Make the member a coordinator (`platform_role`), by the admins of an approved
        government body for its own admins and staff, or by a coordinator; audited, and the
        member and every coordinator are notified. Already a coordinator: unchanged."""
        return coordinators.grant(me(), org_id, user_id)

    @login_required
    @blp.response(200, MemberSchema)
    def delete(self, org_id, user_id):
        """Take the role back: a coordinator always, the body's admins when their body gave
        it (a coordinator made from the command line stays one); never the platform's last
        coordinator (409). Not a coordinator: unchanged."""
        return coordinators.revoke(me(), org_id, user_id)


@blp.route("/organizations/<int:org_id>/invitations")
class Invitations(MethodView):
    """Invitations to join an organization."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(InvitationSchema))
    def get(self, args, org_id):
        """Pending invitations (its admins)."""
        org = services.get_for_member(org_id, me(), roles=("admin",))
        return paginate(services.pending_invitations(org), args)

    @login_required
    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationCreatedSchema)
    def post(self, data, org_id):
        """Invite someone by email (its admins); the token is shown once and emailed."""
        org = services.get_for_member(org_id, me(), roles=("admin",))
        return services.invite(me(), org, data["email"], data["role"])


@blp.route("/organizations/<int:org_id>/invitations/<int:invitation_id>")
class InvitationItem(MethodView):
    """One invitation."""

    @login_required
    @blp.response(204)
    def delete(self, org_id, invitation_id):
        """Revoke a pending invitation (its admins)."""
        org = services.get_for_member(org_id, me(), roles=("admin",))
        services.revoke_invitation(me(), org, invitation_id)


@blp.route("/invitations/<string:token>/accept")
class AcceptInvitation(MethodView):
    """Accepting an invitation."""

    @login_required
    @blp.response(201, AcceptedSchema)
    def post(self, token):
        """Join; the logged-in user's email must be the invited one."""
        return services.accept_invitation(me(), token)


@blp.route("/invitations/<string:token>/password")
class AcceptWithPassword(MethodView):
    """Accepting an invitation to an account made without a password."""

    @blp.doc(security=[])  # the emailed token is the credential
    @blp.arguments(FirstPasswordSchema)
    @blp.response(201, AcceptedSchema)
    def post(self, data, token):
        """Set the first password of the invited account (made by a university's roster
        import) and join; then log in. An account with a password logs in and accepts."""
        return bulk.accept_with_password(token, data["password"])
