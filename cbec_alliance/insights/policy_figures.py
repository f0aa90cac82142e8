"""The figures a policy's eligibility is judged on, read from the platform's own records.

Provided to `policies.services.figures_of` (a hook: policies sits below the domains whose
tables these are, and only `insights` reads across domains). Each figure is one count or one
maximum over another domain's rows:

- `interns_hosted_12m`: placements at the organization (as the enterprise) that ran during the
  last 365 days: started on or before today and ending on or after a year ago, in any state but
  `preparing` (a terminated placement still hosted its intern);
- `active_partnerships`: its partnerships in the `active` status, on either side;
- `training_base_level`: the highest level of an approved training base it hosts or uses
  (`none` without one).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.partnerships.models import Partnership
from cbec_alliance.placements.models import Placement
from cbec_alliance.training_bases.models import LEVELS, BaseUniversity, TrainingBase


def figures_of(org: Organization) -> dict:
    """`{interns_hosted_12m, active_partnerships, training_base_level}` for `org`."""
    today = utcnow().date()
    hosted = db.session.scalar(
        sa.select(sa.func.count()).where(
            Placement.enterprise_id == org.id,
            Placement.state != "preparing",
            Placement.starts_on <= today,
            Placement.ends_on >= today - timedelta(days=365),
        )
    )
    partnerships = db.session.scalar(
        sa.select(sa.func.count()).where(
            Partnership.status == "active",
            sa.or_(Partnership.enterprise_id == org.id, Partnership.university_id == org.id),
        )
    )
    uses = sa.select(BaseUniversity.base_id).where(BaseUniversity.university_id == org.id)
    levels = set(
        db.session.scalars(
            sa.select(TrainingBase.level).where(
                TrainingBase.status == "approved",
                sa.or_(TrainingBase.host_enterprise_id == org.id, TrainingBase.id.in_(uses)),
            )
        )
    )
    best = max((LEVELS.index(v) for v in levels if v in LEVELS), default=None)
    return {
        "interns_hosted_12m": int(hosted or 0),
        "active_partnerships": int(partnerships or 0),
        "training_base_level": "none" if best is None else LEVELS[best],
    }
