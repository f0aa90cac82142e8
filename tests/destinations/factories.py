"""A small alliance for destination tests, and xlsx files to import."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook

from cbec_alliance.destinations.models import Destination
from tests import factories
from tests.factories import Base
from tests.students.factories import student

YEAR = 2026


class DestinationFactory(Base):
    class Meta:
        model = Destination

    graduation_year = YEAR
    outcome = "employed-contract"
    source = "staff"
    confirmation = "not_required"
    employer_name = "广州跨境优选贸易有限公司"


@dataclass
class Alliance:
    """Two universities with a staff member and students; two enterprises with staff."""

    uni: object
    uni_staff: object
    student: object
    student2: object
    other_uni: object
    other_staff: object
    other_student: object
    ent: object
    ent_staff: object
    other_ent: object
    other_ent_staff: object


def alliance() -> Alliance:
    """The alliance; students graduate in YEAR (major e-commerce)."""
    uni = factories.UniversityFactory()
    other_uni = factories.UniversityFactory()
    ent = factories.OrganizationFactory()
    other_ent = factories.OrganizationFactory()
    return Alliance(
        uni=uni,
        uni_staff=factories.member(uni, "staff"),
        student=student(uni, graduation_year=YEAR),
        student2=student(uni, graduation_year=YEAR, major="international-trade"),
        other_uni=other_uni,
        other_staff=factories.member(other_uni, "staff"),
        other_student=student(other_uni, graduation_year=YEAR),
        ent=ent,
        ent_staff=factories.member(ent, "staff"),
        other_ent=other_ent,
        other_ent_staff=factories.member(other_ent, "staff"),
    )


def xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    """An xlsx workbook: a header row and `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        header
        or [
            "student_id",
            "毕业年份",
            "outcome",
            "employer_id",
            "employer_name",
            "employer_uscc",
            "地区代码",
            "industry",
            "cbec_related",
            "related_to_major",
            "salary_band",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
