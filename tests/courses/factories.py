"""Factories for courses: a published joint course of a university with one partner."""

from __future__ import annotations

from decimal import Decimal

import factory

from cbec_alliance.courses.models import Course, CourseCompetency, CoursePartner
from tests.factories import Base, OrganizationFactory, UniversityFactory


class CourseFactory(Base):
    """Published, with one confirmed partner, by default."""

    class Meta:
        model = Course

    university_id = factory.LazyFunction(lambda: UniversityFactory().id)
    code = factory.Sequence(lambda n: f"CBEC{n:03d}")
    title = factory.Sequence(lambda n: f"跨境电商直播运营实务 {n}")
    description = "校企共建课程 co-developed with an enterprise"
    credits = Decimal("2.0")
    hours = 32
    semester = "2026-fall"
    language = "zh"
    capacity = 30
    status = "published"

    @classmethod
    def _create(cls, model_class, *args, competencies=("content-creation",), partners=None, **kw):
        partners = partners if partners is not None else [OrganizationFactory()]
        kw["competencies"] = [CourseCompetency(code=c) for c in competencies]
        state = "confirmed" if kw.get("status", "published") != "draft" else "pending"
        kw["partners"] = [CoursePartner(enterprise_id=p.id, state=state) for p in partners]
        return super()._create(model_class, *args, **kw)
