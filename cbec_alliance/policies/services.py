"""Policy rules: who issues one, its conditions, window and money, its lifecycle, who sees it,
the eligibility of an organization, and the year's figures for the annual report.

draft -> published -> closed      (the issuing government's admins and staff, or coordinators)
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.hooks import Hook
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.money import ZERO, text
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.taxonomy import services as taxonomy

from . import eligibility
from .models import GRANTED, KINDS, PAYING, Policy, PolicyApplication

LIFECYCLE = Lifecycle(
    {
        "publish": Step(("draft",), "published"),
        "close": Step(("published",), "closed"),
    }
)
PUBLIC = ("published", "closed")
# Fields fixed once a policy is published: applicants were judged against them.
FIXED_WHEN_PUBLISHED = ("conditions", "required_documents", "opens_at")

# The figures an organization's eligibility is judged on, read from the platform's records
# by `insights` (placements, partnerships, training bases), which provides this hook.
figures_of: Hook[[Organization], dict] = Hook("policies.figures_of")


def org_roles(user: User, roles: tuple[str, ...] = STAFF_ROLES) -> set[int]:
    """The organizations in which the user holds one of `roles`."""
    return set(
        db.session.scalars(
            sa.select(Membership.organization_id).where(
                Membership.user_id == user.id, Membership.role.in_(roles)
            )
        )
    )


def is_issuer_staff(user: User, policy: Policy) -> bool:
    """True for the issuing government's admins and staff (its reviewers)."""
    return policy.issuer_id in org_roles(user)


def can_manage(user: User, policy: Policy) -> bool:
    """The issuing government's admins and staff, and coordinators."""
    return user.is_coordinator or is_issuer_staff(user, policy)


def get_visible(policy_id: int, user: User) -> Policy:
    """Published and closed policies for anyone signed in; a draft for its issuer's members
    and coordinators (404 for anyone else)."""
    policy = db.session.get(Policy, policy_id)
    if policy is None:
        not_found("policy")
    if policy.status not in PUBLIC and not can_manage(user, policy):
        not_found("policy")
    return policy


def _issuer(issuer_id: int) -> Organization:
    org = db.session.get(Organization, issuer_id)
    if org is None or org.kind != "government" or org.status != "approved":
        invalid("issuer_id", "not an approved government organization of the alliance")
    return org


def _check(kind: str, data: dict) -> None:
    found = eligibility.problems(data.get("conditions", []))
    if found:
        field, message = next(iter(found.items()))
        invalid(field, message)
    for i, cond in enumerate(data.get("conditions", [])):
        if cond["figure"] == "district":
            taxonomy.check("districts", f"conditions.{i}.in", cond["in"])
    names = data.get("required_documents", [])
    if len(set(names)) != len(names):
        invalid("required_documents", "each document may be named once")
    if as_utc(data["opens_at"]) >= as_utc(data["closes_at"]):
        invalid("closes_at", "the window closes after it opens")
    budget, most = data.get("budget"), data.get("max_per_applicant")
    if kind in PAYING and (budget is None or most is None):
        invalid(
            "budget" if budget is None else "max_per_applicant",
            _("a %(kind)s pays money", kind=kind),
        )
    if budget is None and most is not None:
        invalid("max_per_applicant", "a maximum needs a budget")
    if budget is not None and most is not None and most > budget:
        invalid("max_per_applicant", _("more than the budget (%(text)s)", text=text(budget)))


def create(user: User, data: dict) -> Policy:
    """A draft policy of a government organization (its admins and staff, or coordinators)."""
    issuer = _issuer(data["issuer_id"])
    if not user.is_coordinator and issuer.id not in org_roles(user):
        forbidden("Only the issuing government's admins and staff, or coordinators, add policies.")
    _check(data["kind"], data)
    policy = Policy(created_by_id=user.id, granted=ZERO, **data)
    db.session.add(policy)
    db.session.flush()
    audit(
        actor=user,
        obj=policy,
        action="create",
        changes={"title": policy.title, "kind": policy.kind, "budget": text(policy.budget)},
        organization_id=policy.issuer_id,
    )
    return policy


def update(user: User, policy: Policy, data: dict) -> Policy:
    """Change a draft policy; a published one only its texts, its closing time and its
    budget (never below what was granted)."""
    if not can_manage(user, policy):
        forbidden("Only the issuing government's admins and staff, or coordinators, do this.")
    if policy.status == "closed":
        conflict("a closed policy cannot change")
    fixed = sorted(set(data) & set(FIXED_WHEN_PUBLISHED))
    if policy.status == "published" and fixed:
        conflict(_("a published policy keeps its %(fixed)s", fixed=", ".join(fixed)))
    fields = ("conditions", "required_documents", "opens_at", "closes_at")
    merged = {**{f: getattr(policy, f) for f in fields}, **data}
    for name in ("budget", "max_per_applicant"):
        merged[name] = data.get(name, getattr(policy, name))
    _check(policy.kind, merged)
    if merged["budget"] is not None and merged["budget"] < policy.granted:
        conflict(
            _("the budget cannot go below the %(text)s already granted", text=text(policy.granted))
        )
    changes = {}
    for field, value in data.items():
        if getattr(policy, field) != value:
            changes[field] = {"from": getattr(policy, field), "to": value}
            setattr(policy, field, value)
    audit(
        actor=user, obj=policy, action="update", changes=changes, organization_id=policy.issuer_id
    )
    return policy


def transition(user: User, policy: Policy, verb: str) -> Policy:
    """Publish a draft or close a published policy (its managers)."""
    if not can_manage(user, policy):
        forbidden("Only the issuing government's admins and staff, or coordinators, do this.")
    before = policy.status
    policy.status = LIFECYCLE.target(policy.status, verb)
    if verb == "publish":
        policy.published_at = utcnow()
    audit(
        actor=user,
        obj=policy,
        action=verb,
        changes={"status": {"from": before, "to": policy.status}},
        organization_id=policy.issuer_id,
    )
    return policy


def listing(args: dict, user: User) -> sa.Select:
    """Policies, the latest window first, filtered; drafts only for their managers."""
    stmt = sa.select(Policy)
    if not user.is_coordinator:
        mine = list(org_roles(user))
        stmt = stmt.where(sa.or_(Policy.status.in_(PUBLIC), Policy.issuer_id.in_(mine)))
    for name in ("kind", "status", "issuer_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Policy, name) == args[name])
    if args.get("open") is not None:
        now = utcnow()
        taking = sa.and_(
            Policy.status == "published", Policy.opens_at <= now, Policy.closes_at > now
        )
        stmt = stmt.where(taking if args["open"] else sa.not_(taking))
    if args.get("q"):
        stmt = stmt.where(
            sa.or_(contains(Policy.title, args["q"]), contains(Policy.description, args["q"]))
        )
    return stmt.order_by(Policy.opens_at.desc(), Policy.id.desc())


def applicant_for(user: User, organization_id: int | None, roles=("admin",)) -> Organization:
    """The organization the caller acts for: `organization_id` (403 unless the caller holds
    one of `roles` there), else the one organization where they do (422 naming the choices
    when several, 403 for none)."""
    mine = org_roles(user, roles)
    if organization_id is not None:
        if organization_id not in mine:
            forbidden("Only the organization's admins apply for it or see its applications.")
        mine = {organization_id}
    if not mine:
        forbidden("Only an organization's admins apply for policies.")
    if len(mine) > 1:
        invalid(
            "organization_id",
            _("you act for several organizations; name one of %(mine)s", mine=sorted(mine)),
        )
    org = db.session.get(Organization, next(iter(mine)))
    assert org is not None
    return org


def check_eligibility(policy: Policy, org: Organization) -> dict:
    """Each condition with the figure found for `org` and pass/fail, and the verdict."""
    figures = {
        "organization_kind": org.kind,
        "district": org.district,
        "enterprise_size": org.size,
        **figures_of(org),
    }
    checks = eligibility.evaluate(policy.conditions, figures)
    return {
        "policy_id": policy.id,
        "organization_id": org.id,
        "eligible": eligibility.eligible(checks),
        "conditions": checks,
        "checked_at": utcnow(),
    }


def eligibility_for(user: User, policy: Policy, organization_id: int | None) -> dict:
    """Eligibility for the caller's organization, or any (`organization_id`) for the
    policy's managers; 404 for an organization that does not exist."""
    if organization_id is not None and can_manage(user, policy):
        org = db.session.get(Organization, organization_id)
        if org is None:
            not_found("organization")
    else:
        org = applicant_for(user, organization_id, STAFF_ROLES)
    return check_eligibility(policy, org)


def payload(policy: Policy) -> dict:
    """The fields every policy notification carries."""
    return {
        "policy_id": policy.id,
        "title": policy.title,
        "kind": policy.kind,
        "issuer_id": policy.issuer_id,
    }


def granted_in_year(year: int) -> dict:
    """Per policy kind, for the annual report: policies whose window opened in `year`,
    applications submitted in it, those approved in it and the amount approved, and the
    amount disbursed in it (amounts as two-place decimal strings)."""
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    out: dict[str, dict] = {
        k: {
            "policies": 0,
            "applications": 0,
            "approved": 0,
            "amount_approved": ZERO,
            "amount_disbursed": ZERO,
        }
        for k in KINDS
    }
    policies = sa.select(Policy.kind, sa.func.count()).where(
        Policy.status.in_(PUBLIC), Policy.opens_at >= start, Policy.opens_at < end
    )
    for kind, n in db.session.execute(policies.group_by(Policy.kind)):
        out[kind]["policies"] = n
    joined = (
        sa.select(Policy.kind)
        .select_from(PolicyApplication)
        .join(Policy, Policy.id == PolicyApplication.policy_id)
    )
    submitted = joined.add_columns(sa.func.count()).where(
        PolicyApplication.created_at >= start, PolicyApplication.created_at < end
    )
    for kind, n in db.session.execute(submitted.group_by(Policy.kind)):
        out[kind]["applications"] = n
    approved = joined.add_columns(
        sa.func.count(), sa.func.sum(PolicyApplication.amount_approved)
    ).where(
        PolicyApplication.state.in_(GRANTED),
        PolicyApplication.decided_at >= start,
        PolicyApplication.decided_at < end,
    )
    for kind, n, amount in db.session.execute(approved.group_by(Policy.kind)):
        out[kind]["approved"], out[kind]["amount_approved"] = n, amount or ZERO
    disbursed = joined.add_columns(sa.func.sum(PolicyApplication.amount_disbursed)).where(
        PolicyApplication.disbursed_at >= start, PolicyApplication.disbursed_at < end
    )
    for kind, amount in db.session.execute(disbursed.group_by(Policy.kind)):
        out[kind]["amount_disbursed"] = amount or ZERO
    return {
        kind: {k: text(v) if isinstance(v, Decimal) else v for k, v in row.items()}
        for kind, row in out.items()
    }
