"""What applications provides to lower floors (core.hooks)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.students.resumes import applied_to


@applied_to.provide
def applied(student_id: int, enterprise_ids: Collection[int]) -> bool:
    """True when the student applied (in any state) to a posting of one of the enterprises:
    those enterprises' staff read the student's résumés."""
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    Application.student_id == student_id,
                    Application.internship_id == Internship.id,
                    Internship.enterprise_id.in_(list(enterprise_ids)),
                )
            )
        )
    )
