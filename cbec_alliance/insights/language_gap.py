"""Minor languages in the skills gap (issue 19): for each language and level N (1..5), the
open postings asking for it at level N or more against the students holding it at N or more,
for the alliance and per Guangzhou district.

Definitions (also in the OpenAPI description of GET /monitoring/skills-gap/languages):
- postings = open postings (any kind) whose language requirement has `min_level` >= N;
- demand = their open slots (slots minus accepted), as in the competency skills gap;
- students = profiled students speaking the language at level >= N;
- gap = demand - students (positive: the alliance trains too few speakers).
Postings are placed by their district, students by their university's.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipLanguage
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import LEVELS, StudentLanguage, StudentProfile

from .skills_gap import vocabulary_labels

# {(district, language, level): [postings, slots, students]} at exactly that level.
Exact = dict[tuple[str | None, str, int], list[int]]


def _exact() -> Exact:
    found: Exact = defaultdict(lambda: [0, 0, 0])
    il = InternshipLanguage
    for district, code, level, postings, slots in db.session.execute(
        sa.select(
            Internship.district,
            il.code,
            il.min_level,
            sa.func.count(),
            sa.func.sum(Internship.slots - Internship.accepted_count),
        )
        .join(il, il.internship_id == Internship.id)
        .where(Internship.status == "open")
        .group_by(Internship.district, il.code, il.min_level)
    ):
        found[(district, code, level)][0] += postings
        found[(district, code, level)][1] += int(slots or 0)
    sl = StudentLanguage
    for district, code, level, students in db.session.execute(
        sa.select(Organization.district, sl.code, sl.level, sa.func.count())
        .join(StudentProfile, StudentProfile.user_id == sl.user_id)
        .join(Organization, Organization.id == StudentProfile.university_id)
        .group_by(Organization.district, sl.code, sl.level)
    ):
        found[(district, code, level)][2] += students
    return found


def _row(postings: int, slots: int, students: int) -> dict:
    return {"postings": postings, "demand": slots, "students": students, "gap": slots - students}


def language_gap() -> dict:
    """Per level 1..5 and language: postings, demand, students and gap, for the alliance
    (`items`) and per district (`by_district`, only where something is asked or held)."""
    exact = _exact()
    languages = vocabulary_labels("languages")
    districts = vocabulary_labels("districts")
    # At level N or more: the sums over the exact levels N..5.
    at_least: dict[tuple[str | None, str, int], list[int]] = {}
    overall: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (district, code, level), values in exact.items():
        for n in LEVELS:
            if level >= n:
                into = at_least.setdefault((district, code, n), [0, 0, 0])
                for k in range(3):
                    into[k] += values[k]
                    overall[(code, n)][k] += values[k]
    items = [
        {"level": n, "code": code, "label_zh": zh, "label_en": en, **_row(*overall[(code, n)])}
        for n in LEVELS
        for code, (zh, en) in languages.items()
    ]
    by_district = [
        {
            "level": n,
            "district": district,
            "district_zh": districts.get(district, (district, district))[0],
            "code": code,
            "label_zh": languages.get(code, (code, code))[0],
            "label_en": languages.get(code, (code, code))[1],
            **_row(*values),
        }
        for (district, code, n), values in at_least.items()
        if district is not None
    ]
    for rows in (items, by_district):
        rows.sort(key=lambda r: (r["level"], -r["gap"], r.get("district") or "", r["code"]))
    return {"items": items, "by_district": by_district}
