"""Partnership rules: who proposes and answers, the lifecycle, coordinators' notes, lists."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.db import bulk_update, for_update, write_lock
from cbec_alliance.core.errors import (
    Waiting,
    conflict,
    forbidden,
    invalid,
    not_found,
)
from cbec_alliance.core.events import emit
from cbec_alliance.core.hooks import Hook
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import membership
from cbec_alliance.taxonomy import services as taxonomy

from .health import expired
from .models import LIVE, Partnership, PartnershipMode

# What the two sides share lives in every other domain, above this one: insights reads it
# (insights/activity.py) and provides these.
refresh_health: Hook[[list[int]], int] = Hook("refresh the health of partnerships")
activity_of: Hook[[Partnership], dict] = Hook("a partnership's activity, progress and health")
# The party "other" is the side that did not propose; the other steps are either side's.
LIFECYCLE = Lifecycle(
    {
        "accept": Step(("proposed",), "active", "other"),
        "decline": Step(("proposed",), "declined", "other"),
        "suspend": Step(("active",), "suspended"),
        "resume": Step(("suspended",), "active"),
        "end": Step(("active", "suspended"), "ended"),
    }
)


def _side(user: User, enterprise_id: int, university_id: int) -> int | None:
    for org_id in (enterprise_id, university_id):
        m = membership(user, org_id)
        if m is not None and m.role in STAFF_ROLES:
            return org_id
    return None


def side(user: User, p: Partnership) -> int | None:
    """The organization (of the two) whose admin or staff the user is, if any."""
    return _side(user, p.enterprise_id, p.university_id)


def _member_of(user: User, p: Partnership) -> bool:
    return any(membership(user, o) is not None for o in (p.enterprise_id, p.university_id))


def get_visible(partnership_id: int, user: User) -> Partnership:
    """A partnership for both sides' members, coordinators and associations; else 404."""
    p = db.session.get(Partnership, partnership_id)
    if p is None or not (sees_all(user) or _member_of(user, p)):
        not_found("partnership")
    return p


def _lock(p: Partnership) -> Partnership:
    """The partnership re-read under its row lock: concurrent changes take turns."""
    stmt = for_update(sa.select(Partnership).where(Partnership.id == p.id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def fill_missing_health() -> int:
    """Compute, once, the health of partnerships never checked (rows loaded without this
    domain: the demo, imports, rows older than the column); returns how many. Usually there
    are none, found through a partial index. Otherwise their rows are locked in id order
    (SQLite: the write lock taken) and read again: a concurrent first use waits, then finds
    them checked, with nothing left to compute. Beat keeps the rest fresh (`refresh_health`)."""
    unchecked = sa.select(Partnership.id).where(Partnership.health_checked_at.is_(None))
    if db.session.scalar(sa.select(unchecked.exists())) is not True:
        return 0
    write_lock()
    ids = db.session.scalars(for_update(unchecked.order_by(Partnership.id))).all()
    if ids:
        refresh_health(list(ids))
    return len(ids)


def listing(args: dict, user: User) -> sa.Select:
    """Visible partnerships, newest first, with the contract's filters (they combine);
    health never checked is computed first (`fill_missing_health`)."""
    fill_missing_health()
    stmt = sa.select(Partnership).order_by(Partnership.id.desc())
    if not sees_all(user):
        mine = [m.organization_id for m in user.memberships]
        stmt = stmt.where(
            sa.or_(Partnership.enterprise_id.in_(mine), Partnership.university_id.in_(mine))
        )
    for field in ("status", "health", "enterprise_id", "university_id"):
        if args.get(field) is not None:
            stmt = stmt.where(getattr(Partnership, field) == args[field])
    if args.get("mode"):
        stmt = stmt.where(
            Partnership.id.in_(
                sa.select(PartnershipMode.partnership_id).where(
                    PartnershipMode.mode == args["mode"]
                )
            )
        )
    if args.get("flagged") is not None:
        stmt = stmt.where(Partnership.flagged.is_(args["flagged"]))
    if args.get("district"):
        # Either side in the district.
        in_district = sa.select(Organization.id).where(Organization.district == args["district"])
        stmt = stmt.where(
            sa.or_(
                Partnership.enterprise_id.in_(in_district),
                Partnership.university_id.in_(in_district),
            )
        )
    return stmt


def _org(field: str, org_id: int, kind: str) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or org.kind != kind:
        invalid(field, _("no %(kind)s with id %(org_id)s", kind=kind, org_id=org_id))
    if org.status != "approved":
        conflict(
            _(
                "organization %(org_id)s is %(status)s; only approved organizations cooperate",
                org_id=org_id,
                status=org.status,
            )
        )
    return org


def _check(data: dict, starts_on, ends_on) -> None:
    if "modes" in data:
        modes = data["modes"]
        if len(set(modes)) != len(modes):
            invalid("modes", "a mode is listed more than once")
        taxonomy.check("cooperation-modes", "modes", modes)
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        invalid("ends_on", "must not be before starts_on")


def _payload(p: Partnership) -> dict:
    return {
        "partnership_id": p.id,
        "enterprise_id": p.enterprise_id,
        "enterprise_name": db.session.get_one(Organization, p.enterprise_id).name,
        "university_id": p.university_id,
        "university_name": db.session.get_one(Organization, p.university_id).name,
        "status": p.status,
        "modes": ", ".join(p.mode_codes),
    }


def create(user: User, data: dict) -> Partnership:
    """Either side's admins or staff propose a partnership to the other side."""
    _org("enterprise_id", data["enterprise_id"], "enterprise")
    _org("university_id", data["university_id"], "university")
    _check(data, data["starts_on"], data.get("ends_on"))
    enterprise_id, university_id = data["enterprise_id"], data["university_id"]
    proposer = _side(user, enterprise_id, university_id)
    if proposer is None:
        forbidden("only the admins and staff of the enterprise or the university may propose")
    live = db.session.scalar(
        sa.select(Partnership.id).where(
            Partnership.enterprise_id == enterprise_id,
            Partnership.university_id == university_id,
            Partnership.status.in_(LIVE),
        )
    )
    if live:
        conflict(_("these two already have a partnership in progress (id %(live)s)", live=live))
    p = Partnership(
        enterprise_id=enterprise_id,
        university_id=university_id,
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        goals={k: v for k, v in (data.get("goals") or {}).items() if v is not None},
        modes=[PartnershipMode(mode=m) for m in data["modes"]],
        proposed_by_id=user.id,
        proposed_by_org_id=proposer,
    )
    db.session.add(p)
    db.session.flush()
    refresh_health([p.id])  # a proposal has no health yet, but it has been checked
    audit(
        actor=user,
        obj=p,
        action="create",
        changes={"modes": p.mode_codes},
        organization_id=proposer,
    )
    other = p.university_id if proposer == p.enterprise_id else p.enterprise_id
    emit("partnership.proposed", _payload(p), organization_id=other, actor=user)
    return p


def update(user: User, p: Partnership, data: dict) -> Partnership:
    """Change modes, dates or goals (either side, until it ends)."""
    if side(user, p) is None:
        forbidden("only the admins and staff of the two sides may change a partnership")
    p = _lock(p)
    if p.status not in LIVE:
        conflict(_("the partnership is %(status)s; it can no longer change", status=p.status))
    _check(data, data.get("starts_on", p.starts_on), data.get("ends_on", p.ends_on))
    if "modes" in data:
        p.modes = [PartnershipMode(mode=m) for m in data.pop("modes")]
    if "goals" in data:
        data["goals"] = {k: v for k, v in (data["goals"] or {}).items() if v is not None}
    for key, value in data.items():
        setattr(p, key, value)
    db.session.flush()
    audit(actor=user, obj=p, action="update", changes={k: str(v) for k, v in data.items()})
    refresh_health([p.id])
    return p


def act(user: User, p: Partnership, verb: str, reason: str | None) -> Partnership:
    """Accept, decline, suspend, resume or end, by the side allowed to."""
    p = _lock(p)  # a simultaneous accept and decline must not both pass the status check
    mine = side(user, p)
    if mine is None:
        forbidden("only the admins and staff of the two sides may do this")
    # The status is checked before the side: a refused step names every allowed one.
    target = LIFECYCLE.target(p.status, verb, waiting_for=lambda: _waits(p, verb))
    if LIFECYCLE[verb].party == "other" and mine == p.proposed_by_org_id:
        forbidden(
            _(
                "the other side, %(who)s, must %(verb)s the proposal",
                who=_answerer(p).who(),
                verb=verb,
            )
        )
    ends_on = p.ends_on
    if verb in ("accept", "resume") and ends_on is not None and expired(ends_on, utcnow().date()):
        conflict(
            _(
                "the agreement ended on %(isoformat)s; allowed next steps: extend ends_on (PATCH) "
                "first, or end it",
                isoformat=ends_on.isoformat(),
            )
        )
    before = p.status
    now = utcnow()
    p.status = target
    p.status_changed_at = now
    p.status_reason = reason
    if verb == "accept":
        p.accepted_at = now
    audit(
        actor=user,
        obj=p,
        action=verb,
        changes={"status": {"from": before, "to": target}, "reason": reason},
        organization_id=mine,
    )
    other = p.university_id if mine == p.enterprise_id else p.enterprise_id
    emit(
        f"partnership.{target}",
        {**_payload(p), "reason": reason or ""},
        organization_id=other,
        actor=user,
    )
    db.session.flush()
    refresh_health([p.id])
    return p


def _waits(p: Partnership, verb: str) -> list[Waiting]:
    """A step an accepted partnership allows waits, while proposed, for the other side's
    answer (none otherwise)."""
    first = LIFECYCLE.enabling(p.status, verb)
    return [_answerer(p)] if any(LIFECYCLE[v].party == "other" for v in first) else []


def _answerer(p: Partnership) -> Waiting:
    """The side that answers a proposal: the one that did not propose it."""
    other = p.university_id if p.proposed_by_org_id == p.enterprise_id else p.enterprise_id
    return Waiting.org(db.session.get(Organization, other), "accept or decline")


def note(user: User, p: Partnership, data: dict) -> Partnership:
    """A coordinator's note and flag on a partnership."""
    if "note" in data:
        p.coordinator_note = data["note"]
    if "flagged" in data:
        p.flagged = data["flagged"]
    p.noted_by_id = user.id
    p.noted_at = utcnow()
    audit(actor=user, obj=p, action="note", changes=data)
    return p


def detail(p: Partnership) -> dict:
    """A partnership with its activity, progress and health computed now."""
    found = activity_of(p)
    return {
        **{c.key: getattr(p, c.key) for c in Partnership.__table__.columns},
        "modes": p.mode_codes,
        "activity": {**found["counts"], "last_activity_at": found["last_activity_at"]},
        "progress": found["progress"],
        "health": found["health"],
        "last_activity_at": found["last_activity_at"],
    }


def store_health(rows: list[dict]) -> None:
    """Store computed health (`[{id, health, last_activity_at, health_checked_at}]`) in one
    statement per batch; loaded partnerships read it afresh."""
    bulk_update(Partnership.__table__, "id", rows)
    for row in rows:
        loaded = db.session.identity_map.get(sa.orm.util.identity_key(Partnership, row["id"]))
        if loaded is not None:
            db.session.expire(loaded)
