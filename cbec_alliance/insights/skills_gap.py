"""The skills gap of the monitoring summaries, for the alliance and per district.

Definitions (also in the OpenAPI descriptions):
- demand for a competency = open slots (slots minus accepted) of open internships that require
  it + survey weight (the enterprises that chose it in the latest closed survey in which
  enterprises answered the talent-demand `competencies` question: see `latest_survey`);
- supply = students at level 3 or more + seats (capacity) of published courses teaching it;
- gap = demand - supply (positive: the alliance trains too few).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import HOLDS_FROM, StudentCompetency, StudentProfile
from cbec_alliance.surveys.models import Survey, SurveyAnswer, SurveyResponse
from cbec_alliance.taxonomy.models import TaxonomyItem


def latest_survey() -> int | None:
    """The id of the survey whose answers count as demand, or None.

    It is the latest (by year, then id) survey that is closed and in which at least one
    enterprise answered the `competencies` question (the talent-demand template's). Closed,
    because an open survey's counts grow with every response, and demand would swing with
    them until it closes; a `competencies` answer, because a coordinator's own survey without
    that question (a platform poll, say) says nothing about competencies and must not replace
    the last talent-demand survey and zero the survey weight. Partner matching
    (`insights/partners.py`) reads the same survey.
    """
    return db.session.scalar(
        sa.select(Survey.id)
        .where(
            Survey.status == "closed",
            sa.exists().where(
                SurveyAnswer.survey_id == Survey.id, SurveyAnswer.question_code == "competencies"
            ),
        )
        .order_by(Survey.year.desc(), Survey.id.desc())
        .limit(1)
    )


def vocabulary_labels(vocabulary: str) -> dict[str, tuple[str, str]]:
    """{code: (Chinese label, English label)} of a vocabulary, in its order."""
    return {
        code: (zh, en)
        for code, zh, en in db.session.execute(
            sa.select(TaxonomyItem.code, TaxonomyItem.name_zh, TaxonomyItem.name_en)
            .where(TaxonomyItem.vocabulary == vocabulary)
            .order_by(TaxonomyItem.position, TaxonomyItem.code)
        )
    }


# Gap parts: {(district or None, competency code): {"slots", "survey", "students", "seats"}}.
GapParts = dict[tuple[str | None, str], dict[str, int]]


def _add(parts: GapParts, part: str, rows, by_district: bool) -> None:
    """Add rows of ([district,] code, amount) to `parts` under `part`."""
    for *district, code, amount in rows:
        parts[(district[0] if by_district else None, code)][part] += int(amount or 0)


def _demand_slots(parts: GapParts, by_district: bool) -> None:
    """Open slots (slots minus accepted) of open internships, per required competency."""
    key = (Internship.district,) if by_district else ()
    rows = db.session.execute(
        sa.select(
            *key,
            InternshipCompetency.code,
            sa.func.sum(Internship.slots - Internship.accepted_count),
        )
        .join(InternshipCompetency, InternshipCompetency.internship_id == Internship.id)
        .where(Internship.status == "open")
        .group_by(*key, InternshipCompetency.code)
    )
    _add(parts, "slots", rows, by_district)


def _survey_weight(parts: GapParts, by_district: bool, survey: int) -> None:
    """The enterprises that chose each competency in the survey `survey`."""
    key = (Organization.district,) if by_district else ()
    rows = db.session.execute(
        sa.select(*key, SurveyAnswer.option_code, sa.func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(Organization, Organization.id == SurveyResponse.enterprise_id)
        .where(SurveyAnswer.survey_id == survey, SurveyAnswer.question_code == "competencies")
        .group_by(*key, SurveyAnswer.option_code)
    )
    _add(parts, "survey", rows, by_district)


def _student_supply(parts: GapParts, by_district: bool) -> None:
    """Students holding each competency (at level HOLDS_FROM or more), by their university."""
    key = (Organization.district,) if by_district else ()
    stmt = sa.select(*key, StudentCompetency.code, sa.func.count()).join(
        StudentProfile, StudentProfile.user_id == StudentCompetency.user_id
    )
    if by_district:
        stmt = stmt.join(Organization, Organization.id == StudentProfile.university_id)
    rows = db.session.execute(
        stmt.where(StudentCompetency.level >= HOLDS_FROM).group_by(*key, StudentCompetency.code)
    )
    _add(parts, "students", rows, by_district)


def _seat_supply(parts: GapParts, by_district: bool) -> None:
    """Seats of published courses teaching each competency, by the course's university."""
    key = (Organization.district,) if by_district else ()
    stmt = sa.select(*key, CourseCompetency.code, sa.func.sum(Course.capacity)).join(
        CourseCompetency, CourseCompetency.course_id == Course.id
    )
    if by_district:
        stmt = stmt.join(Organization, Organization.id == Course.university_id)
    rows = db.session.execute(
        stmt.where(Course.status == "published").group_by(*key, CourseCompetency.code)
    )
    _add(parts, "seats", rows, by_district)


def _gap_parts(by_district: bool, survey: int | None) -> GapParts:
    """{(district or None, code): {slots, survey, students, seats}}; survey weight from the
    survey `survey`."""
    parts: GapParts = defaultdict(lambda: defaultdict(int))
    _demand_slots(parts, by_district)
    if survey is not None:
        _survey_weight(parts, by_district, survey)
    _student_supply(parts, by_district)
    _seat_supply(parts, by_district)
    return parts


def _gap_row(values: dict) -> dict:
    demand = values["slots"] + values["survey"]
    supply = values["students"] + values["seats"]
    return {
        "demand_slots": values["slots"],
        "survey_weight": values["survey"],
        "demand": demand,
        "supply_students": values["students"],
        "supply_seats": values["seats"],
        "supply": supply,
        "gap": demand - supply,
    }


def skills_gap() -> dict:
    """Per competency: demand, supply and gap (largest gap first)."""
    survey = latest_survey()
    parts = _gap_parts(by_district=False, survey=survey)
    labels = vocabulary_labels("competencies")
    rows = [
        {"code": code, "label_zh": zh, "label_en": en, **_gap_row(parts[(None, code)])}
        for code, (zh, en) in labels.items()
    ]
    rows.sort(key=lambda row: (-row["gap"], row["code"]))
    return {"items": rows, "survey_id": survey}


_ZERO = {"slots": 0, "survey": 0, "students": 0, "seats": 0}


def districts() -> dict:
    """Per Guangzhou district, the skills gap as `skills_gap` gives it for the alliance: each
    competency's demand, supply and gap (largest gap first) in `competencies`, their totals,
    and the district's approved enterprises and universities and open internships.

    Demand is placed by the internship's district and by the answering enterprise's; supply by
    the district of the students' and of the course's university."""
    survey = latest_survey()
    parts = _gap_parts(by_district=True, survey=survey)
    competencies = vocabulary_labels("competencies")
    organizations = _approved_by_district()
    open_internships = dict(
        db.session.execute(
            sa.select(Internship.district, sa.func.count())
            .where(Internship.status == "open")
            .group_by(Internship.district)
        ).all()
    )
    rows = [
        {
            "code": district,
            "label_zh": zh,
            "label_en": en,
            "enterprises": organizations[district].get("enterprise", 0),
            "universities": organizations[district].get("university", 0),
            "open_internships": open_internships.get(district, 0),
            **_district_gap(parts, district, competencies),
        }
        for district, (zh, en) in vocabulary_labels("districts").items()
    ]
    return {"items": rows, "survey_id": survey}


def _approved_by_district() -> dict[str | None, dict[str, int]]:
    """{district: {organization kind: approved organizations}}."""
    organizations: dict[str | None, dict[str, int]] = defaultdict(dict)
    for district, kind, count in db.session.execute(
        sa.select(Organization.district, Organization.kind, sa.func.count())
        .where(Organization.status == "approved")
        .group_by(Organization.district, Organization.kind)
    ):
        organizations[district][kind] = count
    return organizations


def _district_gap(parts: GapParts, district: str, competencies: dict) -> dict:
    """One district's gap totals and, in `competencies`, each competency's (largest first)."""
    per_competency = [
        {
            "code": code,
            "label_zh": zh,
            "label_en": en,
            **_gap_row(parts.get((district, code), _ZERO)),
        }
        for code, (zh, en) in competencies.items()
    ]
    per_competency.sort(key=lambda row: (-row["gap"], row["code"]))
    totals = {
        part: sum(parts.get((district, code), _ZERO)[part] for code in competencies)
        for part in _ZERO
    }
    return {**_gap_row(totals), "competencies": per_competency}
