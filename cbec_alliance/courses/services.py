"""Joint course rules: the university's course, its partners' confirmations, versions, links."""

from __future__ import annotations

import sqlalchemy as sa

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
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.taxonomy import services as taxonomy

from .models import (
    CONTENT,
    Course,
    CourseCompetency,
    CourseLecturer,
    CoursePartner,
    CourseVersion,
)

PUBLIC = ("published", "archived")
# action -> (states it may start from, state it leads to); partners answer separately.
STEPS = {
    "propose": (("draft",), "proposed"),
    "publish": (("confirmed",), "published"),
    "archive": (("published",), "archived"),
}


def _managed_orgs(user: User) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Membership.organization_id).where(
                Membership.user_id == user.id, Membership.role.in_(STAFF_ROLES)
            )
        )
    )


def _member_orgs(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        db.session.scalars(
            sa.select(Membership.organization_id).where(Membership.user_id == user.id)
        )
    )


def get_visible(course_id: int, user: User) -> Course:
    """A course: published and archived ones for anyone, others for insiders (else 404)."""
    course = db.session.get(Course, course_id)
    if course is None:
        not_found("course")
    if course.status not in PUBLIC and not (user.is_authenticated and user.is_coordinator):
        insiders = {course.university_id, *course.partner_enterprise_ids}
        if not _member_orgs(user) & insiders:
            not_found("course")
    return course


def get_for_university(course_id: int, user: User) -> Course:
    """A course its university's admins and staff manage (403 for other insiders)."""
    course = get_visible(course_id, user)
    if course.university_id not in _managed_orgs(user):
        forbidden("Only the course's university's admins and staff may do this.")
    return course


def _approved(org_id: int, field: str, kind: str) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or org.status != "approved" or org.kind != kind:
        invalid(field, f"{org_id} is not an approved {kind} of the alliance")
    return org


def _check(data: dict, course: Course | None) -> None:
    taxonomy.check("languages", "language", data.get("language"))
    if "competencies" in data:
        if len(set(data["competencies"])) != len(data["competencies"]):
            invalid("competencies", "each code may appear once")
        taxonomy.check("competencies", "competencies", data["competencies"])
    partners = data.get("partner_enterprise_ids")
    if partners is not None:
        if len(set(partners)) != len(partners):
            invalid("partner_enterprise_ids", "each enterprise may appear once")
        for enterprise_id in partners:
            _approved(enterprise_id, "partner_enterprise_ids", "enterprise")
    university_id = course.university_id if course else data["university_id"]
    allowed = {
        university_id,
        *(partners if partners is not None else course.partner_enterprise_ids if course else []),
    }
    for lecturer in data.get("lecturers") or []:
        if lecturer["organization_id"] not in (None, *allowed):
            invalid("lecturers", "a lecturer's organization is the university or a partner")
    if course is not None and data.get("capacity", course.capacity) < course.enrolled_count:
        conflict(f"capacity cannot go below the {course.enrolled_count} students enrolled")
    code = data.get("code")
    if code and (course is None or code != course.code):
        taken = db.session.scalar(
            sa.select(Course.id).where(Course.university_id == university_id, Course.code == code)
        )
        if taken:
            conflict(f"the university already has a course {code}")


def create(user: User, data: dict) -> Course:
    """A draft course of a university whose admin or staff the caller is."""
    university = _approved(data["university_id"], "university_id", "university")
    if university.id not in _managed_orgs(user):
        forbidden("Only the university's admins and staff create its courses.")
    _check(data, None)
    course = Course(
        university_id=university.id,
        code=data["code"],
        capacity=data["capacity"],
        created_by_id=user.id,
        **{f: data.get(f) for f in CONTENT},
    )
    _set_children(course, data)
    db.session.add(course)
    db.session.flush()
    audit(actor=user, obj=course, action="create", changes={"code": course.code})
    return course


def _set_children(course: Course, data: dict) -> None:
    if "competencies" in data:
        course.competencies = [CourseCompetency(code=c) for c in data["competencies"]]
    if "lecturers" in data:
        course.lecturers = [
            CourseLecturer(position=k, name=x["name"], organization_id=x["organization_id"])
            for k, x in enumerate(data["lecturers"])
        ]
    if "partner_enterprise_ids" in data:
        keep = {p.enterprise_id: p for p in course.partners}
        course.partners = [
            keep.get(e) or CoursePartner(enterprise_id=e) for e in data["partner_enterprise_ids"]
        ]


def content(course: Course) -> dict:
    """The course's content as a version keeps it."""
    return {
        **{f: (str(getattr(course, f)) if f == "credits" else getattr(course, f)) for f in CONTENT},
        "competencies": course.competency_codes,
        "lecturers": [
            {"name": x.name, "organization_id": x.organization_id} for x in course.lecturers
        ],
    }


def update(user: User, course: Course, data: dict) -> Course:
    """Change a course; a content change to a published one keeps the earlier version and
    asks every partner to confirm again (archived courses are read-only)."""
    if course.status == "archived":
        conflict("an archived course cannot change")
    _check(data, course)
    before = content(course)
    partners_before = set(course.partner_enterprise_ids)
    for field in (*CONTENT, "code", "capacity"):
        if field in data:
            setattr(course, field, data[field])
    _set_children(course, data)
    db.session.flush()
    after = content(course)
    changed = sorted(k for k in after if after[k] != before[k])
    if course.status in ("proposed", "confirmed", "published") and changed:
        if course.status == "published":
            db.session.add(
                CourseVersion(
                    course_id=course.id,
                    version=course.version,
                    content=before,
                    replaced_by_id=user.id,
                )
            )
            course.version += 1
        else:
            course.status = "proposed"
        _ask_partners(course, user)
    elif set(course.partner_enterprise_ids) - partners_before and course.status != "draft":
        # A partner added to a course under way is asked too (the others keep their answer).
        if course.status == "confirmed":
            course.status = "proposed"
        emit(
            "course.confirmation_requested",
            payload(course),
            organization_id=course.university_id,
            actor=user,
        )
    audit(
        actor=user,
        obj=course,
        action="update",
        changes={"fields": sorted(data), "content": changed},
    )
    return course


def _ask_partners(course: Course, user: User) -> None:
    for partner in course.partners:
        partner.state, partner.reason, partner.decided_at = "pending", None, None
    if course.partners:
        emit(
            "course.confirmation_requested",
            payload(course),
            organization_id=course.university_id,
            actor=user,
        )


def transition(user: User, course: Course, action: str) -> Course:
    """Propose (partners are asked), publish (every partner confirmed) or archive."""
    sources, target = STEPS[action]
    if course.status not in sources:
        wrong_step(
            action,
            course.status,
            [a for a, (src, _) in STEPS.items() if course.status in src],
            _waiting_partners(course) if action == "publish" else (),
        )
    if action == "propose":
        taxonomy.check("competencies", "competencies", course.competency_codes)
        if not course.competencies:
            conflict("name the competencies the course teaches before proposing it")
        if not course.partners:
            target = "confirmed"  # nothing to confirm: a course of the university alone
        _ask_partners(course, user)
    if action == "publish":
        course.published_at = utcnow()
    before, course.status = course.status, target
    audit(actor=user, obj=course, action=action, changes={"status": {"from": before, "to": target}})
    return course


def answer(user: User, course: Course, enterprise_id: int, confirm: bool, reason: str | None):
    """A partner confirms the current version, or declines it with a reason."""
    partner = next((p for p in course.partners if p.enterprise_id == enterprise_id), None)
    if partner is None:
        not_found("partner")
    if enterprise_id not in _managed_orgs(user):
        forbidden("Only the partner's admins and staff answer for it.")
    if course.status == "draft":
        university = db.session.get(Organization, course.university_id)
        verb = "confirm" if confirm else "decline"
        wrong_step(verb, course.status, [], [Waiting.org(university, "propose the course")])
    if course.status not in ("proposed", "published") or partner.state != "pending":
        conflict("there is nothing to answer: no version of this course awaits this partner")
    partner.state = "confirmed" if confirm else "declined"
    partner.reason, partner.decided_at = reason, utcnow()
    if not confirm and course.status == "proposed":
        course.status = "draft"
    elif course.status == "proposed" and all(p.state == "confirmed" for p in course.partners):
        course.status = "confirmed"
    audit(
        actor=user,
        obj=course,
        action="confirm" if confirm else "decline",
        changes={"reason": reason},
    )
    emit(
        "course.confirmed" if confirm else "course.declined",
        {**payload(course), "enterprise_id": enterprise_id, "reason": reason or ""},
        organization_id=course.university_id,
        actor=user,
    )
    return course


def _waiting_partners(course: Course) -> list[Waiting]:
    """The partners whose answer the course still waits for (none unless proposed)."""
    if course.status != "proposed":
        return []
    pending = [p.enterprise_id for p in course.partners if p.state == "pending"]
    orgs = {
        o.id: o
        for o in db.session.scalars(sa.select(Organization).where(Organization.id.in_(pending)))
    }
    return [Waiting.org(orgs[i], "confirm") for i in pending]


def caller_partner(user: User, course: Course, enterprise_id: int | None) -> int:
    """The partner the caller answers for: `enterprise_id` when given, else the one partner
    of the course whose admin or staff the caller is (403 for none, 422 naming the choices
    when several)."""
    partners = course.partner_enterprise_ids
    if enterprise_id is not None:
        if enterprise_id not in partners:
            invalid("enterprise_id", f"not a partner of this course; its partners: {partners}")
        return enterprise_id
    mine = [e for e in partners if e in _managed_orgs(user)]
    if not mine:
        forbidden("Only the admins and staff of a partner enterprise of the course answer.")
    if len(mine) > 1:
        names = dict(
            db.session.execute(
                sa.select(Organization.id, Organization.name).where(Organization.id.in_(mine))
            ).all()
        )
        choices = ", ".join(f"{e} ({names[e]})" for e in mine)
        invalid(
            "enterprise_id",
            f"you answer for several partners of this course; name one of: {choices}",
        )
    return mine[0]


def versions(course: Course) -> list[dict]:
    """Every version, the one in force last."""
    rows = db.session.scalars(
        sa.select(CourseVersion)
        .where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.version)
    ).all()
    out = [
        {"version": v.version, "current": False, "content": v.content, "replaced_at": v.replaced_at}
        for v in rows
    ]
    out.append(
        {
            "version": course.version,
            "current": True,
            "content": content(course),
            "replaced_at": None,
        }
    )
    return out


def listing(args: dict, user: User) -> sa.Select:
    """Courses visible to `user`, by semester and code, with the list filters."""
    stmt = sa.select(Course).order_by(Course.semester.desc(), Course.code, Course.id)
    if not (user.is_authenticated and user.is_coordinator):
        mine = _member_orgs(user)
        partnered = sa.select(CoursePartner.course_id).where(CoursePartner.enterprise_id.in_(mine))
        stmt = stmt.where(
            sa.or_(
                Course.status.in_(PUBLIC), Course.university_id.in_(mine), Course.id.in_(partnered)
            )
        )
    for name in ("university_id", "semester", "status"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Course, name) == args[name])
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(Course.partners.any(CoursePartner.enterprise_id == args["enterprise_id"]))
    if args.get("competency"):
        stmt = stmt.where(Course.competencies.any(CourseCompetency.code == args["competency"]))
    if args.get("q"):
        stmt = stmt.where(
            sa.or_(contains(Course.title, args["q"]), contains(Course.code, args["q"]))
        )
    return stmt


def payload(course: Course) -> dict:
    """The fields every course event carries."""
    university = db.session.get(Organization, course.university_id)
    return {
        "course_id": course.id,
        "code": course.code,
        "title": course.title,
        "university_name": university.name,
        "university_name_en": university.name_en or university.name,
        "version": course.version,
    }
