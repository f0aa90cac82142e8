"""The signals of the later partner-matching modes (lectures, joint teaching and the
programme kinds), read set-based: one grouped query each, giving only the organizations
that have something, so reading them for 20,000 enterprises costs a few small queries.

Both paths read them here: `partners.enterprise_signals` (a few organizations, `fit`) and
`partner_arrays.enterprises` (every approved enterprise as arrays, `fit_arrays`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa

from cbec_alliance.core.db import joined, joined_ints
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.lectures.models import Lecture
from cbec_alliance.organizations.models import Organization, OrganizationMajor
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.teaching.models import EnterpriseTeacher, EnterpriseTeacherField

# The window of the lecture record (`fit.lectures`).
RECORD_DAYS = 365


@dataclass
class Later:
    """Per enterprise id, the later modes' signals; absent ids have none."""

    lectures: dict[int, int] = field(default_factory=dict)
    teachers: dict[int, int] = field(default_factory=dict)
    fields: dict[int, set[str]] = field(default_factory=dict)
    jobs: dict[int, int] = field(default_factory=dict)
    employees: dict[int, int] = field(default_factory=dict)
    modes: dict[int, int] = field(default_factory=dict)


def _only(column, wanted: list[int] | None) -> list:
    return [] if wanted is None else [column.in_(wanted)]


def _counts(stmt) -> dict[int, int]:
    return {key: int(n or 0) for key, n in db.session.execute(stmt)}


def enterprise_later(wanted: list[int] | None) -> Later:
    """The later modes' signals of the given enterprises (None: every enterprise)."""
    now = utcnow()
    lectures = _counts(
        sa.select(Lecture.host_organization_id, sa.func.count())
        .where(
            Lecture.status != "cancelled",
            Lecture.starts_at > now - dt.timedelta(days=RECORD_DAYS),
            Lecture.starts_at <= now,
            *_only(Lecture.host_organization_id, wanted),
        )
        .group_by(Lecture.host_organization_id)
    )
    teachers = _counts(
        sa.select(EnterpriseTeacher.enterprise_id, sa.func.count())
        .where(*_only(EnterpriseTeacher.enterprise_id, wanted))
        .group_by(EnterpriseTeacher.enterprise_id)
    )
    fields: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, code in db.session.execute(
        sa.select(EnterpriseTeacher.enterprise_id, EnterpriseTeacherField.code)
        .join(EnterpriseTeacherField, EnterpriseTeacherField.user_id == EnterpriseTeacher.user_id)
        .where(*_only(EnterpriseTeacher.enterprise_id, wanted))
        .distinct()
    ):
        fields[enterprise_id].add(code)
    free = Internship.slots - Internship.accepted_count
    jobs = _counts(
        sa.select(Internship.enterprise_id, sa.func.sum(free))
        .where(
            Internship.kind == "full_time",
            Internship.status == "open",
            free > 0,
            *_only(Internship.enterprise_id, wanted),
        )
        .group_by(Internship.enterprise_id)
    )
    employees = _counts(
        sa.select(Organization.id, Organization.employee_count).where(
            Organization.kind == "enterprise",
            Organization.employee_count.is_not(None),
            *_only(Organization.id, wanted),
        )
    )
    return Later(lectures, teachers, dict(fields), jobs, employees, _modes(wanted))


def _modes(wanted: list[int] | None) -> dict[int, int]:
    """Per enterprise, the distinct modes of its active partnerships: a row per mode with
    its enterprises as joined text, counted with NumPy (a COUNT(DISTINCT) per enterprise
    sorts 100,000 rows and took twice as long at 50,000 partnerships)."""
    stmt = (
        sa.select(PartnershipMode.mode, joined(Partnership.enterprise_id))
        .join(PartnershipMode, PartnershipMode.partnership_id == Partnership.id)
        .where(Partnership.status == "active", *_only(Partnership.enterprise_id, wanted))
        .group_by(PartnershipMode.mode)
    )
    per_mode = [np.unique(joined_ints(text)) for _mode, text in db.session.execute(stmt)]
    if not per_mode:
        return {}
    ids, counts = np.unique(np.concatenate(per_mode), return_counts=True)
    return dict(zip(ids.tolist(), counts.tolist(), strict=True))


def major_graduates(wanted: list[int] | None) -> dict[int, dict[str, int]]:
    """Per university, the yearly graduates of each of its majors."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for university_id, code, graduates in db.session.execute(
        sa.select(
            OrganizationMajor.organization_id,
            OrganizationMajor.code,
            OrganizationMajor.yearly_graduates,
        ).where(*_only(OrganizationMajor.organization_id, wanted))
    ):
        out[university_id][code] = int(graduates or 0)
    return out
