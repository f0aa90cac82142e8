"""Joint course rules: the university's course, its partners' confirmations, versions, links."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.pagination import contains
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.taxonomy import services as taxonomy

from . import links
from .models import (
    CONTENT,
    Course,
    CourseCertificate,
    CourseCompetency,
    CourseLecturer,
    CoursePartner,
    CourseVersion,
)

PUBLIC = ("published", "archived")


def managed_orgs(user: User) -> set[int]:
    """The organizations whose admin or staff the user is."""
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


def detail(course_id: int, user: User) -> Course:
    """A visible course with its links attached for the detail schema: open internships and
    competitions using its competencies."""
    course = get_visible(course_id, user)
    course.links = links.of(course)
    return course


def get_for_university(course_id: int, user: User) -> Course:
    """A course its university's admins and staff manage (403 for other insiders)."""
    course = get_visible(course_id, user)
    if course.university_id not in managed_orgs(user):
        forbidden("Only the course's university's admins and staff may do this.")
    return course


def _approved(org_id: int, field: str, kind: str) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or org.status != "approved" or org.kind != kind:
        invalid(
            field,
            _("%(org_id)s is not an approved %(kind)s of the alliance", org_id=org_id, kind=kind),
        )
    return org


def _check(data: dict, course: Course | None) -> None:
    taxonomy.check("languages", "language", data.get("language"))
    if "competencies" in data:
        if len(set(data["competencies"])) != len(data["competencies"]):
            invalid("competencies", "each code may appear once")
        taxonomy.check("competencies", "competencies", data["competencies"])
    taxonomy.check_certificates("certificates", data.get("certificates"))
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
        conflict(
            _(
                "capacity cannot go below the %(enrolled_count)s students enrolled",
                enrolled_count=course.enrolled_count,
            )
        )
    code = data.get("code")
    if code and (course is None or code != course.code):
        taken = db.session.scalar(
            sa.select(Course.id).where(Course.university_id == university_id, Course.code == code)
        )
        if taken:
            conflict(_("the university already has a course %(code)s", code=code))


def create(user: User, data: dict) -> Course:
    """A draft course of a university whose admin or staff the caller is."""
    university = _approved(data["university_id"], "university_id", "university")
    if university.id not in managed_orgs(user):
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
    if data.get("certificates") is not None:
        before = {c.code: c.min_level for c in course.certificates}
        after = {c["code"]: c["min_level"] for c in data["certificates"]}
        if before != after:  # the same rows kept, not deleted and inserted again
            course.certificates = [
                CourseCertificate(code=c, min_level=lv) for c, lv in after.items()
            ]
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
        "certificates": [{"code": c.code, "min_level": c.min_level} for c in course.certificates],
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
        ask_partners(course, user)
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


def ask_partners(course: Course, user: User) -> None:
    """Ask every partner to confirm the course (again): their answers start over."""
    for partner in course.partners:
        partner.state, partner.reason, partner.decided_at = "pending", None, None
    if course.partners:
        emit(
            "course.confirmation_requested",
            payload(course),
            organization_id=course.university_id,
            actor=user,
        )


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
    university = db.session.get_one(Organization, course.university_id)
    return {
        "course_id": course.id,
        "code": course.code,
        "title": course.title,
        "university_name": university.name,
        "university_name_en": university.name_en or university.name,
        "version": course.version,
    }


def universities_of(course_ids: list[int]) -> dict[int, int]:
    """course id -> its university, for the courses that exist."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Course.id, Course.university_id).where(Course.id.in_(course_ids))
    )
    return {course_id: university_id for course_id, university_id in rows}
