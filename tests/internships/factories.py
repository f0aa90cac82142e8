"""Factories for internships: a rule-compliant posting, open by default."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.internships.models import (
    Internship,
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from tests.factories import Base, OrganizationFactory


class InternshipFactory(Base):
    class Meta:
        model = Internship

    enterprise_id = factory.LazyFunction(lambda: OrganizationFactory().id)
    title = factory.Sequence(lambda n: f"跨境电商运营实习生 {n}")
    description = "负责亚马逊店铺运营与数据分析。Amazon store operations and data analysis."
    category = "marketing"
    district = "tianhe"
    mode = "onsite"
    slots = 2
    stipend_min = 3000
    stipend_max = 4500
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=120))
    apply_by = factory.LazyFunction(lambda: date.today() + timedelta(days=20))
    hours_per_day = Decimal("8")
    hours_per_week = Decimal("40")
    night_shifts = False
    insurance_provided = True
    fee_charged = False
    status = "open"
    published_at = factory.LazyFunction(utcnow)

    # Plain values here; `_create` turns them into rows, so tests can write
    # `InternshipFactory(competencies={"english": 3}, majors=["marketing"])`.
    competencies = factory.LazyFunction(lambda: {"platform-operation": 2})
    majors = factory.LazyFunction(lambda: ["e-commerce"])
    languages = factory.LazyFunction(lambda: ["en"])  # or {code: min_level}
    certificates = factory.LazyFunction(dict)  # {code: min_level}

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["competencies"] = [
            InternshipCompetency(code=c, min_level=lv) for c, lv in kwargs["competencies"].items()
        ]
        kwargs["majors"] = [InternshipMajor(code=c) for c in kwargs["majors"]]
        languages = kwargs["languages"]
        if not isinstance(languages, dict):
            languages = dict.fromkeys(languages, 1)
        kwargs["languages"] = [
            InternshipLanguage(code=c, min_level=lv) for c, lv in languages.items()
        ]
        kwargs["certificates"] = [
            InternshipCertificate(code=c, min_level=lv) for c, lv in kwargs["certificates"].items()
        ]
        return super()._create(model_class, *args, **kwargs)
