"""Publishing a posting notifies the users whose subscriptions fit it, and nobody else."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import spec_for
from cbec_alliance.notifications.models import Notification, OutboxEvent, Subscription
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, enterprise_staff
from tests.students.factories import student


def _subscribe(user, **lists) -> None:
    db.session.add(
        Subscription(
            user_id=user.id,
            categories=lists.get("categories", []),
            competencies=lists.get("competencies", []),
            districts=lists.get("districts", []),
        )
    )
    db.session.commit()


def test_published_posting_reaches_matching_subscribers_only(as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(
        enterprise_id=org.id,
        status="draft",
        published_at=None,
        category="data",
        district="nansha",
        competencies={"data-analysis": 2},
    )
    fits = [student(), student(), student(), student()]
    _subscribe(fits[0], categories=["data"])
    _subscribe(fits[1], districts=["nansha"], competencies=["english", "data-analysis"])
    _subscribe(fits[2])  # everything
    _subscribe(fits[3], categories=["marketing"])  # no fit
    _subscribe(fits[3], categories=["data"])  # ... but a second subscription fits: once
    misses = [student(), student()]
    _subscribe(misses[0], categories=["marketing"])
    _subscribe(misses[1], districts=["tianhe"], competencies=["data-analysis"])
    _subscribe(staff)  # the poster's own staff are not told about their own posting
    assert as_user(staff).post(f"{URL}/{posting.id}/publish").status_code == 200
    (event,) = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "internship.published")
    ).all()
    batches = list(spec_for("internship.published").recipients(event, 2))
    assert all(len(b) <= 2 for b in batches)
    got = [uid for b in batches for uid in b]
    assert sorted(got) == sorted(u.id for u in fits)
    # Delivered in-process after the commit: the inbox of a fitting student has it.
    notes = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == fits[0].id)
    ).all()
    assert any(posting.title in n.title for n in notes)


def test_no_subscribers_no_recipients(as_user):
    org, staff = enterprise_staff()
    posting = InternshipFactory(enterprise_id=org.id, status="draft", published_at=None)
    factories.UserFactory()
    as_user(staff).post(f"{URL}/{posting.id}/publish")
    event = db.session.scalars(sa.select(OutboxEvent)).one()
    assert list(spec_for("internship.published").recipients(event, 10)) == []
