"""Factories and setup for application tests."""

from __future__ import annotations

from dataclasses import dataclass

from cbec_alliance.applications.models import Application, ApplicationTransition
from tests import factories
from tests.factories import Base
from tests.internships.factories import InternshipFactory
from tests.students.factories import student


class ApplicationFactory(Base):
    class Meta:
        model = Application

    cover_letter = "您好，我想申请这个实习。"
    status = "submitted"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault(
            "transitions",
            [
                ApplicationTransition(
                    to_status=kwargs.get("status", "submitted"), actor_id=kwargs["student_id"]
                )
            ],
        )
        return super()._create(model_class, *args, **kwargs)


@dataclass
class Scene:
    """A posting, its enterprise's staff, a student's application and their university."""

    posting: object
    staff: object
    student: object
    university: object
    application: object


def scene(app_status: str = "submitted", **posting_kw) -> Scene:
    """An open posting (override with `posting_kw`) with one application in `app_status`."""
    enterprise = factories.OrganizationFactory()
    staff = factories.member(enterprise, "staff")
    posting = InternshipFactory(enterprise_id=enterprise.id, **posting_kw)
    university = factories.UniversityFactory()
    user = student(university)
    application = ApplicationFactory(
        internship_id=posting.id,
        student_id=user.id,
        university_id=university.id,
        status=app_status,
    )
    return Scene(posting, staff, user, university, application)


def apply_for(posting, status: str = "submitted", university=None):
    """Another student's application to `posting`."""
    university = university or factories.UniversityFactory()
    user = student(university)
    application = ApplicationFactory(
        internship_id=posting.id, student_id=user.id, university_id=university.id, status=status
    )
    return user, application
