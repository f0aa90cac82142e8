"""The employment report of one graduation year: destination and confirmed rates per
university and major, CBEC-related share, graduates retained in Guangzhou, salary bands, and
conversions from internship to employment per enterprise.

Definitions (also in the route's documentation):
- graduates: student profiles with that graduation year, or the destinations reported when
  more (a profile without a year still counts once its destination is reported);
- placed (去向落实): destinations with any outcome but `not-employed`;
- destination rate = placed / graduates; confirmed rate = confirmed / placed (confirmed: by
  the alliance employer; the rest is declared only);
- CBEC-related share and retained in Guangzhou: among the placed;
- a conversion: a placed graduate whose employer is an enterprise they had an accepted or
  completed application with (every placement comes from one).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from cbec_alliance.applications.lifecycle import PLACED as APPLICATION_PLACED
from cbec_alliance.applications.models import Application
from cbec_alliance.careers.models import CertificateExam, ExamRegistration
from cbec_alliance.destinations.models import (
    OUTCOME_LABELS,
    OUTCOMES,
    PLACED_OUTCOMES,
    SALARY_BANDS,
    Destination,
)
from cbec_alliance.destinations.regions import IN_GUANGZHOU
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import StudentProfile
from cbec_alliance.taxonomy import services as taxonomy

# None: the whole alliance; ("university", id) or ("enterprise", id): one organization's.
Scope = tuple[str, int] | None

_placed = Destination.outcome.in_(PLACED_OUTCOMES)
_confirmed = Destination.confirmation == "confirmed"


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _measures():
    """The counted columns of a group of destinations."""
    return (
        sa.func.count().label("reported"),
        sa.func.count().filter(_placed).label("placed"),
        sa.func.count().filter(_placed, _confirmed).label("confirmed"),
        sa.func.count().filter(_confirmed).label("confirmed_all"),
        sa.func.count().filter(Destination.confirmation == "pending").label("pending"),
        sa.func.count().filter(Destination.confirmation == "disputed").label("disputed"),
        sa.func.count().filter(_placed, Destination.cbec_related).label("cbec_related"),
        sa.func.count()
        .filter(_placed, Destination.location_code.in_(sorted(IN_GUANGZHOU)))
        .label("in_guangzhou"),
    )


def _rates(row: dict, graduates: int) -> dict:
    graduates = max(graduates, row["reported"])
    placed = row["placed"]
    return {
        **row,
        "graduates": graduates,
        "declared": placed - row["confirmed"],
        "destination_rate": _share(placed, graduates),
        "confirmed_rate": _share(row["confirmed"], placed),
        "cbec_related_share": _share(row["cbec_related"], placed),
        "guangzhou_share": _share(row["in_guangzhou"], placed),
    }


def _graduates(year: int, university_id: int | None) -> dict[tuple[int, str | None], int]:
    """(university, major) -> student profiles graduating in `year`."""
    stmt = (
        sa.select(StudentProfile.university_id, StudentProfile.major, sa.func.count())
        .where(StudentProfile.graduation_year == year)
        .group_by(StudentProfile.university_id, StudentProfile.major)
    )
    if university_id is not None:
        stmt = stmt.where(StudentProfile.university_id == university_id)
    return {(u, m): n for u, m, n in db.session.execute(stmt)}


COUNTS = ("reported", "placed", "confirmed", "pending", "disputed", "cbec_related", "in_guangzhou")


def _breakdowns():
    """Per outcome, salary band and confirmation: counted in the same pass as the rates, so
    the report reads the year's destinations once (one scan instead of four)."""
    out = []
    for prefix, column, codes in (
        ("outcome", Destination.outcome, OUTCOMES),
        ("band", Destination.salary_band, SALARY_BANDS),
    ):
        for code in codes:
            out.append(sa.func.count().filter(column == code).label(f"{prefix}:{code}"))
            out.append(
                sa.func.count().filter(column == code, _confirmed).label(f"{prefix}+:{code}")
            )
    return out


def _scan(year: int, university_id: int | None) -> list[dict]:
    """Per (university, major): every count of the report."""
    stmt = (
        sa.select(Destination.university_id, Destination.major, *_measures(), *_breakdowns())
        .where(Destination.graduation_year == year)
        .group_by(Destination.university_id, Destination.major)
    )
    if university_id is not None:
        stmt = stmt.where(Destination.university_id == university_id)
    return [dict(r._mapping) for r in db.session.execute(stmt)]


def _by_major(scanned: list[dict], year: int, university_id: int | None) -> list[dict]:
    empty = dict.fromkeys(COUNTS, 0)
    reported = {
        (r["university_id"], r["major"]): {k: r[k] for k in ("university_id", "major", *COUNTS)}
        for r in scanned
    }
    graduates = _graduates(year, university_id)
    keys = sorted(set(reported) | set(graduates), key=lambda k: (k[0], k[1] or ""))
    return [
        _rates(
            reported.get(k, {"university_id": k[0], "major": k[1], **empty}), graduates.get(k, 0)
        )
        for k in keys
    ]


def _totals_of(scanned: list[dict], prefix: str, codes: tuple[str, ...]) -> list[dict]:
    return [
        {
            "code": code,
            "count": sum(r[f"{prefix}:{code}"] for r in scanned),
            "confirmed": sum(r[f"{prefix}+:{code}"] for r in scanned),
        }
        for code in codes
    ]


def _sum(rows: list[dict], extra: dict) -> dict:
    total = {k: sum(r[k] for r in rows) for k in COUNTS}
    return _rates({**extra, **total}, sum(r["graduates"] for r in rows))


def _by_university(majors: list[dict]) -> list[dict]:
    groups: dict[int, list[dict]] = {}
    for r in majors:
        groups.setdefault(r["university_id"], []).append(r)
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(list(groups)))
        ).all()
    )
    return [
        _sum(rows, {"university_id": uid, "name": names.get(uid)})
        for uid, rows in sorted(groups.items())
    ]


def _where(scope: Scope) -> list:
    if scope is None:
        return []
    column = Destination.university_id if scope[0] == "university" else Destination.employer_id
    return [column == scope[1]]


def _conversions(year: int, scope: Scope) -> list[dict]:
    """Per enterprise: graduates it employs, and those who interned with it first (a join
    of the year's hires with their accepted or completed applications there)."""
    where = (Destination.graduation_year == year, _placed, *_where(scope))
    hired = (
        sa.select(
            Destination.employer_id,
            Organization.name,
            sa.func.count().label("hired"),
            sa.func.count().filter(_confirmed).label("confirmed"),
        )
        .join(Organization, Organization.id == Destination.employer_id)
        .where(*where)
        .group_by(Destination.employer_id, Organization.name)
        .order_by(Destination.employer_id)
    )
    converted_ids = (
        sa.select(Destination.id, Destination.employer_id, Destination.confirmation)
        .join(Application, Application.student_id == Destination.student_id)
        .join(Internship, Internship.id == Application.internship_id)
        .where(
            *where,
            Application.status.in_(APPLICATION_PLACED),
            Internship.enterprise_id == Destination.employer_id,
        )
        .distinct()
        .subquery()
    )
    converted = {
        e: (n, c)
        for e, n, c in db.session.execute(
            sa.select(
                converted_ids.c.employer_id,
                sa.func.count(),
                sa.func.count().filter(converted_ids.c.confirmation == "confirmed"),
            ).group_by(converted_ids.c.employer_id)
        )
    }
    out = []
    for r in db.session.execute(hired):
        n, c = converted.get(r.employer_id, (0, 0))
        out.append(
            {
                "enterprise_id": r.employer_id,
                "name": r.name,
                "hired": r.hired,
                "confirmed": r.confirmed,
                "converted": n,
                "converted_confirmed": c,
                "conversion_share": _share(n, r.hired),
            }
        )
    return out


def _confirmations(year: int, scope: Scope) -> dict:
    stmt = (
        sa.select(Destination.confirmation, sa.func.count())
        .where(Destination.graduation_year == year, *_where(scope))
        .group_by(Destination.confirmation)
    )
    found = dict(db.session.execute(stmt).all())
    return {k: found.get(k, 0) for k in ("pending", "confirmed", "disputed")}


def certificate_pass_rates(year: int, scope: Scope) -> list[dict]:
    """Certificate pass rates of the exams held in `year`, per certificate, level and the
    candidates' university: results entered, passes and the rate."""
    seat, exam = ExamRegistration, CertificateExam
    stmt = (
        sa.select(
            exam.certificate_code,
            exam.level,
            seat.university_id,
            sa.func.count().label("results"),
            sa.func.sum(sa.case((seat.passed.is_(True), 1), else_=0)).label("passed"),
        )
        .join(exam, exam.id == seat.exam_id)
        .where(
            seat.result_at.is_not(None),
            exam.exam_date >= date(year, 1, 1),
            exam.exam_date <= date(year, 12, 31),
        )
        .group_by(exam.certificate_code, exam.level, seat.university_id)
        .order_by(exam.certificate_code, exam.level, seat.university_id)
    )
    if scope is not None and scope[0] == "university":
        stmt = stmt.where(seat.university_id == scope[1])
    names = taxonomy.labels("certificates")
    return [
        {
            "key": f"{r.certificate_code}:{r.level}",
            "certificate_code": r.certificate_code,
            "name": names.get(r.certificate_code, r.certificate_code),
            "level": r.level,
            "university_id": r.university_id,
            "results": r.results,
            "passed": int(r.passed or 0),
            "pass_rate": round(int(r.passed or 0) / r.results, 4),
        }
        for r in db.session.execute(stmt)
    ]


def employment(year: int, scope: Scope = None) -> dict:
    """The employment report of graduation year `year` (of `scope`'s share, or all)."""
    base = {
        "year": year,
        "scope": None if scope is None else {"kind": scope[0], "organization_id": scope[1]},
    }
    if scope is not None and scope[0] == "enterprise":
        # An enterprise sees its confirmations and conversions only, never the universities'.
        return {
            **base,
            "totals": None,
            "by_university": [],
            "by_major": [],
            "by_outcome": [],
            "salary_bands": [],
            "confirmations": _confirmations(year, scope),
            "conversions": _conversions(year, scope),
            "certificates": [],
        }
    university_id = scope[1] if scope is not None else None
    scanned = _scan(year, university_id)
    majors = _by_major(scanned, year, university_id)
    outcomes = _totals_of(scanned, "outcome", OUTCOMES)
    for r in outcomes:
        r["name_zh"], r["name_en"] = OUTCOME_LABELS[r["code"]]
    return {
        **base,
        "totals": _sum(majors, {}),
        "by_university": _by_university(majors),
        "by_major": majors,
        "by_outcome": outcomes,
        "salary_bands": _totals_of(scanned, "band", SALARY_BANDS),
        "confirmations": {
            "pending": sum(r["pending"] for r in scanned),
            "confirmed": sum(r["confirmed_all"] for r in scanned),
            "disputed": sum(r["disputed"] for r in scanned),
        },
        "conversions": _conversions(year, scope),
        "certificates": certificate_pass_rates(year, scope),
    }
