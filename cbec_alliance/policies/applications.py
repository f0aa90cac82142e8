"""Applications to policies: an eligible organization applies in the window; the issuing
government's reviewers ask for more, approve an amount within the budget, or reject; the
approved money is disbursed.

submitted -> more_info_requested -> submitted (resubmit)   reviewer asks, applicant answers
submitted -> approved -> disbursed                          reviewer
submitted | more_info_requested -> rejected                 reviewer, with a reason
submitted | more_info_requested -> withdrawn                applicant (may apply again)
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.money import text
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization

from . import eligibility, services
from .models import BUDGET, Policy, PolicyApplication

LIFECYCLE = Lifecycle(
    {
        "request-info": Step(("submitted",), "more_info_requested", "reviewer"),
        "resubmit": Step(("more_info_requested",), "submitted", "applicant"),
        "approve": Step(("submitted",), "approved", "reviewer"),
        "reject": Step(("submitted", "more_info_requested"), "rejected", "reviewer"),
        "disburse": Step(("approved",), "disbursed", "reviewer"),
        "withdraw": Step(("submitted", "more_info_requested"), "withdrawn", "applicant"),
    }
)
# The event each step sends (to the applicant, or to the reviewers).
EVENTS = {
    "request-info": "policy_application.more_info_requested",
    "resubmit": "policy_application.submitted",
    "approve": "policy_application.approved",
    "reject": "policy_application.rejected",
    "disburse": "policy_application.disbursed",
    "withdraw": "policy_application.withdrawn",
}
TO_REVIEWERS = ("policy_application.submitted", "policy_application.withdrawn")


def _lock(policy_id: int) -> Policy:
    stmt = for_update(sa.select(Policy).where(Policy.id == policy_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def _remaining(policy_id: int) -> Decimal | None:
    # Read again: another approval may have taken money since this request loaded the policy.
    row = db.session.execute(
        sa.select(Policy.budget, Policy.granted).where(Policy.id == policy_id)
    ).one()
    return None if row.budget is None else row.budget - row.granted


def _check_documents(policy: Policy, documents: dict) -> None:
    for name in policy.required_documents:
        if not str(documents.get(name) or "").strip():
            invalid(f"documents.{name}", "a required document: give its reference")


def _check_request(policy: Policy, amount: Decimal | None) -> None:
    """422 for an amount a policy without money is asked for (or one missing), 409 for one
    over the per-applicant maximum or the remaining budget (naming it)."""
    if policy.budget is None:
        if amount is not None:
            invalid("amount_requested", "this policy pays no money")
        return
    if amount is None:
        invalid("amount_requested", "say how much the organization applies for")
    _within(policy, amount)


def _within(policy: Policy, amount: Decimal) -> None:
    most = policy.max_per_applicant
    if most is not None and amount > most:
        conflict(
            _(
                "%(text)s is over the maximum per applicant of %(text2)s",
                text=text(amount),
                text2=text(most),
            ),
            max_per_applicant=text(most),
        )
    remaining = _remaining(policy.id)
    if remaining is not None and amount > remaining:
        conflict(
            _(
                "%(text)s is over the remaining budget of %(text2)s",
                text=text(amount),
                text2=text(remaining),
            ),
            remaining_budget=text(remaining),
        )


def _eligible(policy: Policy, org) -> list[dict]:
    verdict = services.check_eligibility(policy, org)
    unmet = [c for c in verdict["conditions"] if not c["passed"]]
    if unmet:
        conflict(
            _("not eligible: %(value)s", value="; ".join(eligibility.describe(c) for c in unmet)),
            unmet=unmet,
        )
    return verdict["conditions"]


def apply(user: User, policy: Policy, data: dict) -> PolicyApplication:
    """An organization's admin applies while the window is open; 409 when it is not, when
    the organization already applied, when it is not eligible (naming each unmet condition
    and the figure found) or when the amount is over the maximum or what remains."""
    org = services.applicant_for(user, data.get("organization_id"))
    if org.status != "approved":
        forbidden("Only approved organizations apply for policies.")
    _check_documents(policy, data.get("documents", {}))
    policy = _lock(policy.id)
    if policy.budget is None and data.get("amount_requested") is not None:
        invalid("amount_requested", "this policy pays no money")
    if not policy.accepting:
        conflict(
            _(
                "the policy takes applications from %(isoformat)s to %(isoformat2)s while "
                "published (it is %(status)s)",
                isoformat=as_utc(policy.opens_at).isoformat(),
                isoformat2=as_utc(policy.closes_at).isoformat(),
                status=policy.status,
            )
        )
    app = db.session.scalar(
        sa.select(PolicyApplication).where(
            PolicyApplication.policy_id == policy.id, PolicyApplication.organization_id == org.id
        )
    )
    if app is not None and app.state != "withdrawn":
        conflict(
            _(
                "the organization has already applied (the application is %(state)s)",
                state=app.state,
            )
        )
    evidence = _eligible(policy, org)
    _check_request(policy, data.get("amount_requested"))
    if app is None:
        app = PolicyApplication(policy_id=policy.id, organization_id=org.id)
        db.session.add(app)
    app.state, app.reason, app.submitted_by_id = "submitted", None, user.id
    app.statement, app.documents = data.get("statement"), data.get("documents", {})
    app.amount_requested, app.evidence, app.submitted_at = (
        data.get("amount_requested"),
        evidence,
        utcnow(),
    )
    db.session.flush()
    audit(
        actor=user,
        obj=app,
        action="apply",
        changes={"policy_id": policy.id, "amount_requested": text(app.amount_requested)},
        organization_id=org.id,
    )
    _notify(policy, app, "policy_application.submitted", user)
    return app


def _party(user: User, policy: Policy, app: PolicyApplication, verb: str) -> None:
    if LIFECYCLE[verb].party == "reviewer":
        if not services.is_issuer_staff(user, policy):
            forbidden("Only the issuing government's admins and staff review applications.")
    elif app.organization_id not in services.org_roles(user, ("admin",)):
        forbidden("Only the applicant organization's admins do this.")


def act(user: User, app: PolicyApplication, verb: str, data: dict) -> PolicyApplication:
    """Take one step of an application's lifecycle (409 naming the allowed next steps)."""
    policy = _lock(app.policy_id)
    _party(user, policy, app, verb)
    party = LIFECYCLE[verb].party
    before = app.state
    target = LIFECYCLE.target(app.state, verb, allowed=LIFECYCLE.allowed(app.state, party))
    changes: dict = {"state": {"from": before, "to": target}}
    if verb in ("request-info", "reject"):
        if not (data.get("reason") or "").strip():
            invalid("reason", _("say what is needed") if verb == "request-info" else _("say why"))
        app.reason = data["reason"]
        changes["reason"] = app.reason
    elif verb == "resubmit":
        _resubmit(policy, app, data)
    elif verb == "approve":
        changes["amount_approved"] = _approve(policy, app, data.get("amount"))
    elif verb == "disburse":
        if app.amount_approved is None:
            conflict("nothing to disburse: this policy pays no money")
        app.amount_disbursed, app.disbursed_at = app.amount_approved, utcnow()
        app.disbursement_reference = data["reference"]
        changes["amount_disbursed"] = text(app.amount_disbursed)
    if verb in ("approve", "reject"):
        app.decided_at, app.reviewed_by_id = utcnow(), user.id
    app.state = target
    audit(actor=user, obj=app, action=verb, changes=changes, organization_id=app.organization_id)
    _notify(policy, app, EVENTS[verb], user)
    return app


def _resubmit(policy: Policy, app: PolicyApplication, data: dict) -> None:
    for field in ("statement", "documents", "amount_requested"):
        if field in data:
            setattr(app, field, data[field])
    _check_documents(policy, app.documents)
    app.evidence = _eligible(policy, db.session.get_one(Organization, app.organization_id))
    _check_request(policy, app.amount_requested)
    app.reason, app.submitted_at = None, utcnow()


def _approve(policy: Policy, app: PolicyApplication, amount: Decimal | None) -> str | None:
    if policy.budget is None:
        if amount is not None:
            invalid("amount", "this policy pays no money")
        return None
    if amount is None:
        invalid("amount", "say how much is approved")
    _within(policy, amount)
    # The one place money leaves the budget: a single conditional UPDATE (core.capacity).
    if take(BUDGET, policy, amount) is None:
        remaining = _remaining(policy.id)
        conflict(
            _(
                "%(text)s is over the remaining budget of %(text2)s",
                text=text(amount),
                text2=text(remaining),
            ),
            remaining_budget=text(remaining),
        )
    app.amount_approved = amount
    return text(amount)


def _notify(policy: Policy, app: PolicyApplication, event: str, user: User) -> None:
    amount = app.amount_disbursed or app.amount_approved or app.amount_requested
    emit(
        event,
        {
            **services.payload(policy),
            "application_id": app.id,
            "applicant_id": app.organization_id,
            "state": app.state if event != EVENTS["withdraw"] else "withdrawn",
            "amount": text(amount) or "",
            "reason": app.reason or "",
        },
        organization_id=policy.issuer_id if event in TO_REVIEWERS else app.organization_id,
        actor=user,
    )


def get_visible(application_id: int, user: User) -> PolicyApplication:
    """An application for the applicant's admins, the issuer's admins and staff, and
    coordinators (404 for anyone else)."""
    app = db.session.get(PolicyApplication, application_id)
    if app is None:
        not_found("policy application")
    if user.is_coordinator or app.organization_id in services.org_roles(user, ("admin",)):
        return app
    policy = db.session.get_one(Policy, app.policy_id)
    if not services.is_issuer_staff(user, policy):
        not_found("policy application")
    return app


def listing(args: dict, user: User) -> sa.Select:
    """Applications the caller may see, newest first: their organizations' own (admins),
    those to their government's policies (its admins and staff), all for coordinators."""
    stmt = sa.select(PolicyApplication).join(Policy, Policy.id == PolicyApplication.policy_id)
    if not user.is_coordinator:
        stmt = stmt.where(
            sa.or_(
                PolicyApplication.organization_id.in_(services.org_roles(user, ("admin",))),
                Policy.issuer_id.in_(services.org_roles(user)),
            )
        )
    for name in ("policy_id", "state", "organization_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(PolicyApplication, name) == args[name])
    for name in ("kind", "issuer_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Policy, name) == args[name])
    return stmt.order_by(PolicyApplication.submitted_at.desc(), PolicyApplication.id.desc())
