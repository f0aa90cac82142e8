"""Factories for students: a student member of a university with a skills profile."""

from __future__ import annotations

import factory

from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import (
    StudentCertificate,
    StudentCompetency,
    StudentLanguage,
    StudentProfile,
)
from tests.factories import Base, UniversityFactory, member


class StudentProfileFactory(Base):
    class Meta:
        model = StudentProfile

    major = "e-commerce"
    graduation_year = 2027
    bio = "热爱跨境电商运营"

    # Plain values here; `_create` turns them into rows, so tests can write
    # `StudentProfileFactory(competencies={"english": 4}, languages={"es": 2})`.
    competencies = factory.LazyFunction(lambda: {"platform-operation": 3})
    languages = factory.LazyFunction(lambda: {"en": 3})
    # [{code, name, level, number}]: number None for a declared one.
    certificates = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["competencies"] = [
            StudentCompetency(code=c, level=lv) for c, lv in kwargs["competencies"].items()
        ]
        kwargs["languages"] = [
            StudentLanguage(code=c, level=lv) for c, lv in kwargs["languages"].items()
        ]
        kwargs["certificates"] = [
            StudentCertificate(
                code=x.get("code"),
                name=x.get("name", "跨境电商B2B数据运营"),
                level=x["level"],
                number=x.get("number"),
            )
            for x in kwargs["certificates"]
        ]
        return super()._create(model_class, *args, **kwargs)


def student(university: Organization | None = None, *, profile: bool = True, **profile_kw):
    """A user with a `student` membership in `university` (a new one by default)."""
    university = university or UniversityFactory()
    user = member(university, "student")
    if profile:
        StudentProfileFactory(user_id=user.id, university_id=university.id, **profile_kw)
    return user
