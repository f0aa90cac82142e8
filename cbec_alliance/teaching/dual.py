"""The dual-qualified (双师型) share per university of its teachers of the CBEC majors:
the report behind `GET /universities/{id}/dual-qualified`, and `shares()` for insights and
monitoring."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core import exports
from cbec_alliance.core.errors import forbidden, not_found
from cbec_alliance.core.exports import Column
from cbec_alliance.extensions import db
from cbec_alliance.organizations import services as organizations

from .access import is_staff_of
from .models import PracticeStay, UniversityTeacher, UniversityTeacherMajor
from .practice import CBEC_MAJORS, rule, today
from .rules import is_dual_qualified, practice_months, window_start

COLUMNS = [
    Column("teacher_id", "教师编号", "teacher id"),
    Column("name", "姓名", "name"),
    Column("majors_taught", "任教专业", "majors taught"),
    Column("industry_title", "行业职称", "industry title"),
    Column("practice_months", "企业实践（月）", "practice (months)"),
    Column("dual_qualified", "双师型", "dual-qualified"),
]


def _of_cbec_majors(stmt: sa.Select, university_ids: list[int] | None) -> sa.Select:
    cbec = sa.select(UniversityTeacherMajor.user_id).where(
        UniversityTeacherMajor.code.in_(CBEC_MAJORS)
    )
    stmt = stmt.where(UniversityTeacher.user_id.in_(cbec))
    if university_ids is not None:
        stmt = stmt.where(UniversityTeacher.university_id.in_(university_ids))
    return stmt


def _teachers(university_ids: Iterable[int] | None) -> list[UniversityTeacher]:
    ids = None if university_ids is None else list(university_ids)
    stmt = _of_cbec_majors(sa.select(UniversityTeacher), ids)
    return list(db.session.scalars(stmt.order_by(UniversityTeacher.user_id)))


def _counted(on: date) -> tuple[sa.ColumnElement, ...]:
    """The stays the rule counts: confirmed, ending inside the window."""
    return (
        PracticeStay.state == "confirmed",
        PracticeStay.ends_on >= window_start(on, rule().years),
    )


def _confirmed_stays(teacher_ids: list[int], on: date) -> dict[int, list[tuple[date, date]]]:
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    if not teacher_ids:
        return spans
    rows = db.session.execute(
        sa.select(PracticeStay.teacher_id, PracticeStay.starts_on, PracticeStay.ends_on).where(
            PracticeStay.teacher_id.in_(teacher_ids),
            *_counted(on),
        )
    )
    for teacher_id, start, end in rows:
        spans[teacher_id].append((start, end))
    return spans


def _assess(teachers: list[UniversityTeacher], on: date) -> list[dict]:
    the_rule = rule()
    spans = _confirmed_stays([t.user_id for t in teachers], on)
    return [
        {
            "teacher_id": t.user_id,
            "university_id": t.university_id,
            "name": t.teacher.name,
            "majors_taught": t.majors_taught,
            "industry_title": t.industry_title,
            "practice_months": practice_months(spans[t.user_id], on, the_rule.years),
            "dual_qualified": is_dual_qualified(spans[t.user_id], t.industry_title, on, the_rule),
        }
        for t in teachers
    ]


def _share(teachers: int, dual: int) -> dict:
    return {
        "teachers": teachers,
        "dual_qualified": dual,
        "share": round(dual / teachers, 4) if teachers else None,
    }


def _summary(items: list[dict]) -> dict:
    return _share(len(items), sum(1 for i in items if i["dual_qualified"]))


def shares(university_ids: Iterable[int] | None = None, on: date | None = None) -> dict[int, dict]:
    """Per university (all with teachers of the CBEC majors, or those given): `{teachers,
    dual_qualified, share}`, share None without teachers. For insights and monitoring."""
    # The teachers counted per university in the database; the rule applied in Python only
    # to those with a title or a counted stay, read in one query of plain rows (9,200
    # teachers took 5 s as objects with names and majors; docs/benchmarks.md, issue 20).
    ids = None if university_ids is None else list(university_ids)
    on = on or today()
    the_rule = rule()
    without = int(is_dual_qualified((), None, on, the_rule))  # no title, no stay
    counts: dict[int, list[int]] = {u: [0, 0] for u in ids or ()}
    per_university = _of_cbec_majors(
        sa.select(UniversityTeacher.university_id, sa.func.count()), ids
    ).group_by(UniversityTeacher.university_id)
    for university_id, teachers in db.session.execute(per_university):
        counts[university_id] = [teachers, teachers * without]
    stays = (
        sa.select(PracticeStay.teacher_id, PracticeStay.starts_on, PracticeStay.ends_on)
        .where(*_counted(on))
        .subquery()
    )
    # On the session's connection: plain rows, without the ORM's per-row processing.
    rows = db.session.connection().execute(
        _of_cbec_majors(
            sa.select(
                UniversityTeacher.user_id,
                UniversityTeacher.university_id,
                UniversityTeacher.industry_title,
                stays.c.starts_on,
                stays.c.ends_on,
            )
            .outerjoin(stays, stays.c.teacher_id == UniversityTeacher.user_id)
            .where(
                sa.or_(
                    UniversityTeacher.industry_title.is_not(None), stays.c.teacher_id.is_not(None)
                )
            ),
            ids,
        )
    )
    teachers_of: dict[int, tuple[int, str | None]] = {}
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for user_id, university_id, title, start, end in rows:
        teachers_of[user_id] = (university_id, title)
        if start is not None:
            spans[user_id].append((start, end))
    for user_id, (university_id, title) in teachers_of.items():
        counts[university_id][1] += (
            int(is_dual_qualified(spans[user_id], title, on, the_rule)) - without
        )
    return {u: _share(*count) for u, count in sorted(counts.items())}


def report(university_id: int, on: date | None = None) -> dict:
    """The university's share with each teacher of the CBEC majors and the rule applied."""
    on = on or today()
    items = _assess(_teachers([university_id]), on)
    return {
        "university_id": university_id,
        "on": on,
        "cbec_majors": list(CBEC_MAJORS),
        "rule": rule().describe(),
        **_summary(items),
        "items": items,
    }


def respond(user: User, university_id: int, fmt: str):
    """The report for the university's admins and staff and coordinators, as json, csv or
    xlsx (403 for anyone else; 404 for a university the caller may not see)."""
    org = organizations.get_visible(university_id, user)
    if org.kind != "university":
        not_found("university")
    if not (user.is_coordinator or is_staff_of(user, org.id)):
        forbidden("Only the university's admins and staff and coordinators see this.")
    data = report(org.id)
    return exports.respond(
        fmt,
        f"dual-qualified-{org.id}-{data['on'].isoformat()}",
        data,
        COLUMNS,
        lambda: [
            {
                **i,
                "majors_taught": "、".join(i["majors_taught"]),
                "dual_qualified": "是" if i["dual_qualified"] else "否",
            }
            for i in data["items"]
        ],
    )
