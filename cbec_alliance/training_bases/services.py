"""Training base rules: applying, the coordinators' decision, reviews, sessions, utilisation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import (
    Waiting,
    conflict,
    forbidden,
    invalid,
    not_found,
    wrong_step,
)
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.taxonomy import services as taxonomy

from .models import BaseCompetency, BaseReview, BaseSession, BaseUniversity, TrainingBase

# Coordinators decide an application once: an approved base is then reviewed yearly and
# records sessions, a rejected one is read-only (apply again).
LIFECYCLE = Lifecycle(
    {
        "approve": Step(("applied",), "approved", "coordinator"),
        "reject": Step(("applied",), "rejected", "coordinator"),
    }
)


def _orgs_of(user: User, roles: tuple[str, ...] | None = None) -> set[int]:
    if not user.is_authenticated:
        return set()
    stmt = sa.select(Membership.organization_id).where(Membership.user_id == user.id)
    if roles:
        stmt = stmt.where(Membership.role.in_(roles))
    return set(db.session.scalars(stmt))


def _insiders(base: TrainingBase) -> set[int]:
    return {base.host_enterprise_id, *base.university_ids}


def get_visible(base_id: int, user: User) -> TrainingBase:
    """Approved bases for anyone; others for the host, its universities and coordinators."""
    base = db.session.get(TrainingBase, base_id)
    if base is None:
        not_found("training base")
    coordinator = user.is_authenticated and user.is_coordinator
    if base.status != "approved" and not coordinator and not _orgs_of(user) & _insiders(base):
        not_found("training base")
    return base


def _require_manager(user: User, base: TrainingBase, host_only: bool = False) -> None:
    allowed = {base.host_enterprise_id} if host_only else _insiders(base)
    if not _orgs_of(user, STAFF_ROLES) & allowed:
        forbidden("Only the host's (or its universities') admins and staff may do this.")


def _approved(ids: list[int], field: str, kind: str) -> None:
    if len(set(ids)) != len(ids):
        invalid(field, "each organization may appear once")
    found = {
        o.id: o for o in db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids)))
    }
    for org_id in ids:
        org = found.get(org_id)
        if org is None or org.status != "approved" or org.kind != kind:
            invalid(
                field,
                _(
                    "%(org_id)s is not an approved %(kind)s of the alliance",
                    org_id=org_id,
                    kind=kind,
                ),
            )


def _check(data: dict) -> None:
    taxonomy.check("districts", "district", data.get("district"))
    if "competencies" in data:
        if len(set(data["competencies"])) != len(data["competencies"]):
            invalid("competencies", "each code may appear once")
        taxonomy.check("competencies", "competencies", data["competencies"])
    if "university_ids" in data:
        _approved(data["university_ids"], "university_ids", "university")


def _set_children(base: TrainingBase, data: dict) -> None:
    if "university_ids" in data:
        base.universities = [BaseUniversity(university_id=u) for u in data["university_ids"]]
    if "competencies" in data:
        base.competencies = [BaseCompetency(code=c) for c in data["competencies"]]


def apply(user: User, data: dict) -> TrainingBase:
    """Apply for a base: the host's admins or staff, or those of one of its universities."""
    _approved([data["host_enterprise_id"]], "host_enterprise_id", "enterprise")
    _check(data)
    managed = _orgs_of(user, STAFF_ROLES)
    if not managed & {data["host_enterprise_id"], *data["university_ids"]}:
        forbidden("Apply as an admin or staff of the host enterprise or one of its universities.")
    base = TrainingBase(
        name=data["name"],
        host_enterprise_id=data["host_enterprise_id"],
        district=data["district"],
        address=data.get("address"),
        capacity=data["capacity"],
        applied_by_id=user.id,
    )
    _set_children(base, data)
    db.session.add(base)
    db.session.flush()
    audit(actor=user, obj=base, action="apply", changes={"name": base.name})
    host = base.host_enterprise_id
    emit("training_base.applied", payload(base), organization_id=host, actor=user)
    return base


def update(user: User, base: TrainingBase, data: dict) -> TrainingBase:
    """Change a base (its host's or universities' staff); a rejected one is read-only."""
    _require_manager(user, base)
    if base.status == "rejected":
        conflict("a rejected application cannot change; apply again")
    _check(data)
    for field in ("name", "district", "address", "capacity"):
        if field in data:
            setattr(base, field, data[field])
    _set_children(base, data)
    audit(actor=user, obj=base, action="update", changes={"fields": sorted(data)})
    return base


def decide(user: User, base: TrainingBase, approve: bool, level: str | None, reason: str | None):
    """Coordinators approve an application with a level, or reject it with a reason."""
    action = "approve" if approve else "reject"
    base.status = LIFECYCLE.target(base.status, action)
    base.level, base.status_reason, base.decided_at = level, reason, utcnow()
    audit(actor=user, obj=base, action=action, changes={"level": level, "reason": reason})
    emit(
        f"training_base.{base.status}",
        {**payload(base), "level": level or "", "reason": reason or ""},
        organization_id=base.host_enterprise_id,
        actor=user,
    )
    return base


def review(user: User, base: TrainingBase, data: dict) -> BaseReview:
    """A coordinator's yearly review of an approved base (one per year)."""
    if base.status != "approved":
        conflict("only approved bases are reviewed")
    if db.session.get(BaseReview, (base.id, data["year"])) is not None:
        conflict(_("the base already has a review for %(year)s", year=data["year"]))
    row = BaseReview(base_id=base.id, reviewer_id=user.id, **data)
    db.session.add(row)
    db.session.flush()
    audit(actor=user, obj=base, action="review", changes=data)
    emit(
        "training_base.reviewed",
        {**payload(base), "year": data["year"], "rating": data["rating"]},
        organization_id=base.host_enterprise_id,
        actor=user,
    )
    return row


def _waits(base: TrainingBase) -> list[Waiting]:
    """An application waits for the coordinators' decision (other statuses for nobody)."""
    return [Waiting("coordinator", "approve the base")] if base.status == "applied" else []


def record_session(user: User, base: TrainingBase, data: dict) -> BaseSession:
    """The host (or a university of the base) records a day of use, within capacity."""
    _require_manager(user, base)
    if base.status != "approved":
        wrong_step("record a session", base.status, [], _waits(base))
    if data["university_id"] not in base.university_ids:
        invalid("university_id", "not a university of this base")
    if data["students"] > base.capacity:
        invalid(
            "students",
            _("a session has at most %(capacity)s students (the capacity)", capacity=base.capacity),
        )
    if data["date"] > dt.date.today():
        invalid("date", "a session is recorded once it took place")
    row = BaseSession(base_id=base.id, recorded_by_id=user.id, **data)
    db.session.add(row)
    db.session.flush()
    return row


def sessions(base: TrainingBase) -> sa.Select:
    """The base's sessions, latest first."""
    return (
        sa.select(BaseSession)
        .where(BaseSession.base_id == base.id)
        .order_by(BaseSession.date.desc(), BaseSession.id.desc())
    )


def utilisation(base: TrainingBase) -> list[dict]:
    """Sessions and students per year, and per university within each year (newest first)."""
    year = sa.extract("year", BaseSession.date)
    rows = db.session.execute(
        sa.select(
            year.label("year"),
            BaseSession.university_id,
            sa.func.count(),
            sa.func.sum(BaseSession.students),
        )
        .where(BaseSession.base_id == base.id)
        .group_by(year, BaseSession.university_id)
        .order_by(year.desc(), BaseSession.university_id)
    ).all()
    years: dict[int, dict] = {}
    for y, university_id, count, students in rows:
        item = years.setdefault(
            int(y), {"year": int(y), "sessions": 0, "students": 0, "by_university": []}
        )
        item["sessions"] += count
        item["students"] += int(students)
        item["by_university"].append(
            {"university_id": university_id, "sessions": count, "students": int(students)}
        )
    return list(years.values())


def detail(base: TrainingBase) -> TrainingBase:
    """The base with its reviews and utilisation attached for the detail schema."""
    base.reviews = db.session.scalars(
        sa.select(BaseReview).where(BaseReview.base_id == base.id).order_by(BaseReview.year)
    ).all()
    base.utilisation = utilisation(base)
    return base


def listing(args: dict, user: User) -> sa.Select:
    """Bases visible to `user` (approved ones, and their own), with the list filters."""
    stmt = sa.select(TrainingBase).order_by(TrainingBase.id.desc())
    if not (user.is_authenticated and user.is_coordinator):
        mine = _orgs_of(user)
        theirs = sa.select(BaseUniversity.base_id).where(BaseUniversity.university_id.in_(mine))
        stmt = stmt.where(
            sa.or_(
                TrainingBase.status == "approved",
                TrainingBase.host_enterprise_id.in_(mine),
                TrainingBase.id.in_(theirs),
            )
        )
    for name in ("district", "level", "status", "host_enterprise_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(TrainingBase, name) == args[name])
    if args.get("competency"):
        stmt = stmt.where(TrainingBase.competencies.any(BaseCompetency.code == args["competency"]))
    if args.get("university_id") is not None:
        stmt = stmt.where(
            TrainingBase.universities.any(BaseUniversity.university_id == args["university_id"])
        )
    if args.get("q"):
        stmt = stmt.where(contains(TrainingBase.name, args["q"]))
    return stmt


def payload(base: TrainingBase) -> dict:
    """The fields every training base event carries."""
    return {"base_id": base.id, "name": base.name, "university_ids": base.university_ids}


def is_site_of(base_id: int, organization_id: int) -> bool | None:
    """Whether an approved base is held by `organization_id` (its host or one of its
    universities); None when there is no approved base of that id."""
    base = db.session.get(TrainingBase, base_id)
    if base is None or base.status != "approved":
        return None
    return organization_id in _insiders(base)
