"""Course materials by version: the course's university staff and partner enterprises' staff
upload them; a new file under a title already used is its next version. They are seen by the
course's university, its partners (not those who declined), its enrolled students, and
whoever oversees the alliance."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import forbidden, not_found
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.pick import own_of_kind
from cbec_alliance.extensions import db

from .models import Course, CourseMaterial, Enrollment
from .services import managed_orgs

KIND = "course_material"


def _teaching_orgs(course: Course) -> set[int]:
    return {course.university_id} | {
        p.enterprise_id for p in course.partners if p.state != "declined"
    }


def may_upload(user: User, course: Course) -> bool:
    """The course's university's staff and its partner enterprises' staff."""
    return bool(managed_orgs(user) & _teaching_orgs(course))


def may_read(user: User, course: Course) -> bool:
    """Those who upload, the course's enrolled students, overseers."""
    if may_upload(user, course) or sees_all(user):
        return True
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    Enrollment.course_id == course.id,
                    Enrollment.student_id == user.id,
                    Enrollment.status == "enrolled",
                )
            )
        )
    )


def can_view(user: User, material_id: int) -> bool:
    """Kind check: whoever reads the course's materials (False for a missing one)."""
    material = db.session.get(CourseMaterial, material_id)
    return material is not None and may_read(user, db.session.get_one(Course, material.course_id))


def can_attach(user: User, material_id: int) -> bool:
    """Kind check: whoever uploads the course's materials."""
    material = db.session.get(CourseMaterial, material_id)
    return material is not None and may_upload(user, db.session.get_one(Course, material.course_id))


def require_reader(user: User, course: Course) -> None:
    """404 for a caller who does not read the course's materials (nothing revealed)."""
    if not may_read(user, course):
        not_found("course materials")


def listing(user: User, course: Course, all_versions: bool) -> list[CourseMaterial]:
    """The latest version of each title (every version with `all_versions`), by title."""
    require_reader(user, course)
    stmt = sa.select(CourseMaterial).where(CourseMaterial.course_id == course.id)
    if not all_versions:
        latest = (
            sa.select(CourseMaterial.title, sa.func.max(CourseMaterial.version).label("v"))
            .where(CourseMaterial.course_id == course.id)
            .group_by(CourseMaterial.title)
            .subquery()
        )
        stmt = stmt.join(
            latest,
            sa.and_(latest.c.title == CourseMaterial.title, latest.c.v == CourseMaterial.version),
        )
    return list(
        db.session.scalars(stmt.order_by(CourseMaterial.title, CourseMaterial.version.desc()))
    )


def add(user: User, course: Course, data: dict) -> CourseMaterial:
    """Upload a material: version 1 of a new title, or the next version of one in use."""
    require_reader(user, course)
    if not may_upload(user, course):
        forbidden("Only the course's university and partner enterprises add materials.")
    document = own_of_kind(user, data["document_id"], KIND)
    # The course's row lock orders concurrent uploads, so two never take the same version.
    db.session.scalars(for_update(sa.select(Course.id).where(Course.id == course.id))).one()
    last = db.session.scalar(
        sa.select(sa.func.max(CourseMaterial.version)).where(
            CourseMaterial.course_id == course.id, CourseMaterial.title == data["title"]
        )
    )
    material = CourseMaterial(
        course_id=course.id,
        title=data["title"],
        version=(last or 0) + 1,
        document_id=document.id,
        note=data.get("note"),
        created_by_id=user.id,
    )
    db.session.add(material)
    db.session.flush()
    documents.attach_as(user, document, KIND, material.id)
    audit(
        actor=user,
        obj=material,
        action="create",
        changes={"title": material.title, "version": material.version},
        organization_id=course.university_id,
    )
    return material


def _is_admin(user: User, org_id: int) -> bool:
    return any(m.organization_id == org_id and m.role == "admin" for m in user.memberships)


def remove(user: User, course: Course, material_id: int) -> None:
    """Delete one version: its uploader or an admin of the course's university."""
    require_reader(user, course)
    material = db.session.get(CourseMaterial, material_id)
    if material is None or material.course_id != course.id:
        not_found("course material")
    if material.created_by_id != user.id and not _is_admin(user, course.university_id):
        forbidden("Only its uploader or the university's admins delete a material.")
    documents.detach(KIND, material.id)
    db.session.delete(material)
    audit(
        actor=user,
        obj=material,
        action="delete",
        changes={"title": material.title, "version": material.version},
        organization_id=course.university_id,
    )
