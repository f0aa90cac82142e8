"""Internship rules: who may post, validation against the taxonomy, the posting lifecycle."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.changes import changed_fields
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import Lifecycle, Step, WrongParty
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships import rules
from cbec_alliance.internships.models import (
    KIND_LABELS,
    PUBLIC_STATUSES,
    SLOTS,
    Internship,
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.organizations.models import STAFF_ROLES, Organization
from cbec_alliance.organizations.services import membership, require_approved
from cbec_alliance.taxonomy import services as taxonomy

# The enterprise's admins and staff publish, close and reopen; coordinators take down (a
# coordinator's refused step lists every step, an enterprise's only its own).
LIFECYCLE = Lifecycle(
    {
        "publish": Step(("draft",), "open"),
        "close": Step(("open",), "closed"),
        "reopen": Step(("closed",), "open"),
        "take-down": Step(("draft", "open", "closed", "filled"), "taken_down", "coordinator"),
    }
)
# Applied fields whose change on an open posting the applicants are told about.
CHILDREN = ("competencies", "majors", "languages", "language_levels", "certificates")
# Terms of employment: required for full-time postings, never on an internship.
EMPLOYMENT = ("salary_band", "contract_type")


def is_insider(user: User | None, enterprise_id: int) -> bool:
    """True for the enterprise's members and coordinators (they see drafts and taken-down)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or membership(user, enterprise_id) is not None


def get_visible(internship_id: int, user: User | None) -> Internship:
    """The posting if the caller may see it; 404 otherwise (never reveal a hidden one)."""
    posting = db.session.get(Internship, internship_id)
    if posting is None:
        not_found("internship")
    if posting.status in PUBLIC_STATUSES or is_insider(user, posting.enterprise_id):
        return posting
    not_found("internship")


def get_for_staff(internship_id: int, user: User) -> Internship:
    """The posting for its enterprise's admins and staff; 403 for others who can see it."""
    posting = get_visible(internship_id, user)
    m = membership(user, posting.enterprise_id)
    if m is None or m.role not in STAFF_ROLES:
        forbidden("only the enterprise's admins and staff may change its postings")
    return posting


def _enterprise_for(user: User, enterprise_id: int) -> Organization:
    org = db.session.get(Organization, enterprise_id)
    m = membership(user, enterprise_id)
    if org is None or (org.status != "approved" and m is None):
        invalid("enterprise_id", "no such enterprise")
    if org.kind != "enterprise":
        invalid("enterprise_id", "must name an enterprise")
    if m is None or m.role not in STAFF_ROLES:
        forbidden("only the enterprise's admins and staff may post for it")
    require_approved(org)
    return org


def _unique(field: str, codes: list[str]) -> None:
    if len(set(codes)) != len(codes):
        invalid(field, "each code may appear once")


def _check(data: dict, posting: Internship | None = None) -> None:
    """422 naming the field for codes outside the taxonomy and inconsistent values."""
    taxonomy.check("job-categories", "category", data.get("category"))
    taxonomy.check("districts", "district", data.get("district"))
    if data.get("competencies") is not None:
        codes = [c["code"] for c in data["competencies"]]
        taxonomy.check("competencies", "competencies", codes)
        _unique("competencies", codes)
    for field, vocabulary in (("majors", "majors"), ("languages", "languages")):
        if data.get(field) is not None:
            taxonomy.check(vocabulary, field, data[field])
            _unique(field, data[field])
    if data.get("language_levels") is not None:
        if "languages" in data:
            invalid("language_levels", "give `languages` or `language_levels`, not both")
        codes = [x["code"] for x in data["language_levels"]]
        taxonomy.check("languages", "language_levels", codes)
        _unique("language_levels", codes)
    taxonomy.check_certificates("certificates", data.get("certificates"))

    def value(name):
        return data[name] if name in data else getattr(posting, name, None)

    _check_kind(data, value)

    lo, hi = value("stipend_min"), value("stipend_max")
    if lo is not None and hi is not None and lo > hi:
        invalid("stipend_max", "must not be below stipend_min")
    start, end, apply_by = value("start_date"), value("end_date"), value("apply_by")
    if start and end and start > end:
        invalid("end_date", "must not be before start_date")
    if start and apply_by and apply_by > start:
        invalid("apply_by", "must not be after start_date")
    per_day, per_week = value("hours_per_day"), value("hours_per_week")
    if per_day is not None and per_week is not None and per_day > per_week:
        invalid("hours_per_week", "must not be below hours_per_day")


def _check_kind(data: dict, value) -> None:
    """Full-time postings name a salary band and a contract type; internships neither."""
    kind = value("kind") or "internship"
    taxonomy.check("salary-bands", "salary_band", data.get("salary_band"))
    taxonomy.check("contract-types", "contract_type", data.get("contract_type"))
    for field in EMPLOYMENT:
        if kind == "internship" and value(field) is not None:
            invalid(field, "an internship has no salary band or contract type (stipend_min/max)")
        if kind == "full_time" and value(field) is None:
            invalid(field, "a full-time posting needs one")


def _languages(data: dict) -> dict[str, int] | None:
    """{code: min_level} from `languages` (level 1) or `language_levels`; None: unchanged."""
    if data.get("language_levels") is not None:
        return {x["code"]: x["min_level"] for x in data["language_levels"]}
    if "languages" in data:
        return dict.fromkeys(data["languages"], 1)
    return None


def _set_children(posting: Internship, data: dict) -> dict:
    changes: dict[str, dict] = {}
    if "competencies" in data:
        before = {c.code: c.min_level for c in posting.competencies}
        after = {c["code"]: c["min_level"] for c in data["competencies"]}
        if before != after:
            posting.competencies = [
                InternshipCompetency(code=c, min_level=lv) for c, lv in after.items()
            ]
            changes["competencies"] = {"from": before, "to": after}
    if "majors" in data:
        codes_before = [x.code for x in posting.majors]
        codes_after = list(data["majors"])
        if sorted(codes_before) != sorted(codes_after):
            posting.majors = [InternshipMajor(code=c) for c in codes_after]
            changes["majors"] = {"from": codes_before, "to": codes_after}
    languages = _languages(data)
    if languages is not None:
        levels_before = {x.code: x.min_level for x in posting.languages}
        if levels_before != languages:
            posting.languages = [
                InternshipLanguage(code=c, min_level=lv) for c, lv in sorted(languages.items())
            ]
            changes["languages"] = {"from": levels_before, "to": languages}
    if data.get("certificates") is not None:
        certs_before = {c.code: c.min_level for c in posting.certificates}
        certs_after = {c["code"]: c["min_level"] for c in data["certificates"]}
        if certs_before != certs_after:
            posting.certificates = [
                InternshipCertificate(code=c, min_level=lv) for c, lv in sorted(certs_after.items())
            ]
            changes["certificates"] = {"from": certs_before, "to": certs_after}
    return changes


def create(user: User, data: dict) -> Internship:
    """A new draft posting by the enterprise's admins or staff."""
    _enterprise_for(user, data["enterprise_id"])
    _check(data)
    scalars = {k: v for k, v in data.items() if k not in CHILDREN}
    posting = Internship(status="draft", created_by_id=user.id, **scalars)
    posting.kind = data.get("kind", "internship")
    posting.competencies, posting.majors, posting.languages = [], [], []
    posting.certificates = []
    _set_children(
        posting,
        {"languages": [], "certificates": [], **{c: data[c] for c in CHILDREN if c in data}},
    )
    db.session.add(posting)
    db.session.flush()
    audit(
        actor=user,
        obj=posting,
        action="create",
        changes=data,
        organization_id=posting.enterprise_id,
    )
    return posting


def _refuse_if_rules_broken(posting: Internship, action: str) -> None:
    if posting.kind != "internship":  # the student internship rules bind internships only
        return
    broken = rules.of(posting)
    if broken:
        conflict(
            _(
                "cannot %(action)s: the posting breaks the student internship rules: %(value)s",
                action=action,
                value="; ".join(f"{r.code}: {r.message}" for r in broken),
            ),
            rules=[{"code": r.code, "message": r.message} for r in broken],
        )


def update(user: User, posting: Internship, data: dict) -> Internship:
    """Change a posting; an open one must keep the rules and its applicants hear of it."""
    if posting.status == "taken_down":
        conflict("a posting taken down by a coordinator cannot be edited")
    _check(data, posting)
    if "slots" in data and data["slots"] < posting.accepted_count:
        conflict(
            _(
                "slots cannot drop below the %(accepted_count)s accepted students",
                accepted_count=posting.accepted_count,
            )
        )
    scalars = {k: v for k, v in data.items() if k not in CHILDREN}
    changes = changed_fields(posting, scalars)
    changes.update(_set_children(posting, data))
    if not changes:
        return posting
    posting.updated_at = utcnow()  # also when only child rows changed
    if posting.status == "open":
        _refuse_if_rules_broken(posting, "change an open posting")
        if "apply_by" in changes and posting.apply_by < date.today():
            invalid("apply_by", "an open posting's deadline cannot be in the past")
    audit(
        actor=user,
        obj=posting,
        action="update",
        changes=changes,
        organization_id=posting.enterprise_id,
    )
    if posting.status in PUBLIC_STATUSES:
        emit(
            "internship.updated",
            {**payload(posting), "fields": ", ".join(sorted(changes))},
            organization_id=posting.enterprise_id,
            actor=user,
        )
    return posting


def delete(user: User, posting: Internship) -> None:
    """Delete a draft (anything published is closed instead, so applicants keep their record)."""
    if posting.status != "draft":
        conflict(
            _(
                "only drafts can be deleted; this posting is %(status)s: close it instead",
                status=posting.status,
            )
        )
    audit(
        actor=user,
        obj=posting,
        action="delete",
        changes={"title": posting.title},
        organization_id=posting.enterprise_id,
    )
    db.session.delete(posting)


def transition(user: User, posting: Internship, action: str, reason: str | None = None):
    """Publish, close, reopen or take down; 409 naming the allowed steps or the broken rules."""
    try:
        target = LIFECYCLE.target(
            posting.status, action, party="coordinator" if user.is_coordinator else "enterprise"
        )
    except WrongParty:
        forbidden("only coordinators may do this")
    if target == "open":
        require_approved(db.session.get_one(Organization, posting.enterprise_id))
        _refuse_if_rules_broken(posting, action)
        if posting.apply_by < date.today():
            conflict(
                _(
                    "cannot %(action)s: apply_by %(apply_by)s has passed; change it first",
                    action=action,
                    apply_by=posting.apply_by,
                )
            )
    before = posting.status
    posting.status = target
    posting.status_reason = reason if target == "taken_down" else None
    posting.status_changed_at = utcnow()
    if action == "publish":
        posting.published_at = utcnow()
    audit(
        actor=user,
        obj=posting,
        action=action,
        changes={"status": {"from": before, "to": target}, "reason": reason},
        organization_id=posting.enterprise_id,
    )
    event = {
        "publish": "internship.published",
        "reopen": "internship.published",
        "close": "internship.closed",
        "take-down": "internship.taken_down",
    }[action]
    emit(
        event,
        {**payload(posting), "reason": reason or ""},
        organization_id=posting.enterprise_id,
        actor=user,
    )
    return posting


def payload(posting: Internship) -> dict:
    """The fields every internship event carries."""
    org = db.session.get_one(Organization, posting.enterprise_id)
    return {
        "internship_id": posting.id,
        "title": posting.title,
        "enterprise_name": org.name,
        "enterprise_name_en": org.name_en or org.name,
        "category": posting.category,
        "district": posting.district,
        "competencies": [c.code for c in posting.competencies],
        "kind": posting.kind,
        "kind_zh": KIND_LABELS[posting.kind][0],
        "kind_en": KIND_LABELS[posting.kind][1],
    }


# Slots: taken and given back by the applications domain, written only here.


def _lock(posting: Internship) -> Internship:
    return db.session.scalars(
        for_update(sa.select(Internship).where(Internship.id == posting.id)).execution_options(
            populate_existing=True
        )
    ).one()


def take_slot(posting: Internship, user: User) -> None:
    """Fill one slot (an accepted offer), under the posting's row lock: 409 when none is
    free or the posting was taken down; filling the last one makes it `filled`."""
    posting = _lock(posting)
    if posting.status == "taken_down":
        conflict("this internship was taken down by a coordinator")
    if take(SLOTS, posting) is None:
        conflict(_("no slots left: all %(slots)s are taken", slots=posting.slots))
    if posting.accepted_count == posting.slots and posting.status in ("open", "closed"):
        posting.status = "filled"
        posting.status_changed_at = utcnow()
        emit(
            "internship.filled",
            payload(posting),
            organization_id=posting.enterprise_id,
            actor=user,
        )


def free_slot(posting: Internship) -> None:
    """Give a slot back (a withdrawal before the start); a filled posting opens again."""
    posting = _lock(posting)
    if date.today() >= posting.start_date:
        conflict("the internship has started; ask the enterprise to end it instead")
    give_back(SLOTS, posting)
    if posting.status == "filled":
        posting.status = "open" if date.today() <= posting.apply_by else "closed"
        posting.status_changed_at = utcnow()
