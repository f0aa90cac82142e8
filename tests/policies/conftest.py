"""A government that issues policies, an enterprise that applies, their people, and the
records eligibility is read from (placements, partnerships, training bases)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.partnerships.models import Partnership
from tests import factories
from tests.partnerships.factories import TrainingBaseFactory
from tests.placements.factories import world

URL = "/api/v1/policies"
APPS = "/api/v1/policy-applications"


def government(**kw):
    """An approved government organization."""
    fields = {"name": "广州市商务局", "district": "yuexiu", "uscc": None, "size": None}
    return factories.OrganizationFactory(kind="government", platforms=None, **{**fields, **kw})


def partnership(enterprise, university, status: str = "active") -> Partnership:
    """A partnership between the two, in `status`."""
    row = Partnership(
        enterprise_id=enterprise.id,
        university_id=university.id,
        starts_on=dt.date.today() - dt.timedelta(days=100),
        status=status,
        proposed_by_org_id=enterprise.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def scene(app, as_user):
    """A government with a reviewer, an enterprise (Tianhe, small) that hosted one intern
    this year, has one active partnership and a provincial base, with an admin client, and
    an outsider enterprise's admin."""
    # The rows are made in an app context of their own: clients must not share its `g`.
    with app.app_context():
        gov = government()
        w = world(start_in=-30)
        w.placement.state = "active"
        ent = w.enterprise
        partnership(ent, w.university)
        TrainingBaseFactory(host_enterprise_id=ent.id, level="provincial")
        other = factories.OrganizationFactory()
        users = {
            "reviewer": factories.member(gov, "staff"),
            "gov_admin": factories.member(gov, "admin"),
            "admin": factories.member(ent, "admin"),
            "ent_staff": factories.member(ent, "staff"),
            "outsider": factories.member(other, "admin"),
        }
        db.session.commit()
    return SimpleNamespace(
        gov=gov,
        ent=ent,
        university=w.university,
        other=other,
        users=users,
        **{name: as_user(user) for name, user in users.items()},
    )


def body(scene, **overrides) -> dict:
    """A subsidy of 1000.00 (at most 400.00 each) for Tianhe enterprises that hosted an
    intern and have an active partnership, open now for 30 days."""
    now = utcnow()
    data = {
        "kind": "subsidy",
        "issuer_id": scene.gov.id,
        "title": "跨境电商实习基地建设补贴",
        "title_en": "CBEC internship subsidy",
        "conditions": [
            {"figure": "organization_kind", "in": ["enterprise"]},
            {"figure": "district", "in": ["tianhe", "nansha"]},
            {"figure": "interns_hosted_12m", "min": 1},
            {"figure": "active_partnerships", "min": 1},
            {"figure": "training_base_level", "min": "municipal"},
        ],
        "required_documents": ["营业执照"],
        "opens_at": (now - dt.timedelta(days=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=30)).isoformat(),
        "budget": "1000.00",
        "max_per_applicant": "400.00",
    }
    data.update(overrides)
    return data


def published(scene, **overrides) -> dict:
    """A published policy of the scene's government."""
    resp = scene.reviewer.post(URL, json=body(scene, **overrides))
    assert resp.status_code == 201, resp.get_json()
    pid = resp.get_json()["id"]
    resp = scene.reviewer.post(f"{URL}/{pid}/publish")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def applied(scene, policy: dict, client=None, **overrides) -> dict:
    """A submitted application of the scene's enterprise."""
    data = {"documents": {"营业执照": "file:1"}, "amount_requested": "300.00", **overrides}
    resp = (client or scene.admin).post(f"{URL}/{policy['id']}/applications", json=data)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()
