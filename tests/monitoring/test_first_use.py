"""Fresh from the start (issue 21): a new install or the demo answers every monitoring route
and shows partnership health without waiting for beat: what is missing is computed on first
use, once, even when the first uses come together."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from cbec_alliance.accounts import services as accounts
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.monitoring import services as monitoring
from cbec_alliance.monitoring.models import Snapshot
from cbec_alliance.partnerships import services as partnerships
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from tests import factories
from tests.core.race_runner import fire, in_process
from tests.core.races import Call

MONITORING = "/api/v1/monitoring/"


def _routes(app) -> list[str]:
    return sorted(
        {
            r.rule
            for r in app.url_map.iter_rules()
            if r.rule.startswith(MONITORING) and "GET" in (r.methods or ())
        }
    )


def _unchecked_partnership(accepted_days_ago: int = 10) -> Partnership:
    """A live partnership written straight to the table, as the demo or an import does:
    its health never computed."""
    ent, uni = factories.OrganizationFactory(), factories.UniversityFactory()
    now = utcnow()
    p = Partnership(
        enterprise_id=ent.id,
        university_id=uni.id,
        starts_on=(now - dt.timedelta(days=accepted_days_ago)).date(),
        goals={},
        status="active",
        accepted_at=now - dt.timedelta(days=accepted_days_ago),
        proposed_by_org_id=ent.id,
        modes=[PartnershipMode(mode="lectures")],
    )
    db.session.add(p)
    db.session.flush()
    return p


def test_every_monitoring_route_answers_on_an_empty_database(app, coord, monkeypatch):
    monkeypatch.setitem(app.config, "MONITORING_REFRESH_SECONDS", 600)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Snapshot)) == 0
    for rule in _routes(app):
        first = coord.get(rule)
        assert first.status_code == 200, (rule, first.get_json())
        as_of = first.get_json()["as_of"]
        assert as_of.endswith("Z"), rule
        # Stored on first use, then served as stored until the interval has passed.
        assert coord.get(rule).get_json()["as_of"] == as_of, rule
        assert first.get_json()["refresh_interval_seconds"] == 600
    names = db.session.scalars(sa.select(Snapshot.name)).all()
    assert len(names) == len(set(names)) >= len(_routes(app))


def test_health_is_computed_on_first_use(coord):
    quiet = _unchecked_partnership(accepted_days_ago=400)
    fresh = _unchecked_partnership(accepted_days_ago=10)
    listed = coord.get("/api/v1/partnerships").get_json()["items"]
    assert {p["id"]: p["health"] for p in listed} == {quiet.id: "quiet", fresh.id: "active"}
    assert all(p["health_checked_at"] for p in listed)
    assert (
        coord.get("/api/v1/partnerships", query_string={"health": "quiet"}).get_json()["total"] == 1
    )
    summary = coord.get(f"{MONITORING}partnerships").get_json()
    assert {(r["status"], r["health"]) for r in summary["items"]} == {
        ("active", "quiet"),
        ("active", "active"),
    }


def test_monitoring_counts_health_never_checked(coord):
    _unchecked_partnership()
    got = coord.get(f"{MONITORING}overview").get_json()
    assert got["partnerships"]["by_health"] == [{"health": "active", "count": 1}]


def test_a_proposal_is_checked_when_made(as_user):
    ent, uni = factories.OrganizationFactory(), factories.UniversityFactory()
    body = {
        "enterprise_id": ent.id,
        "university_id": uni.id,
        "modes": ["lectures"],
        "starts_on": "2026-09-01",
    }
    made = as_user(factories.member(ent, "admin")).post("/api/v1/partnerships", json=body)
    assert made.status_code == 201, made.get_json()
    p = db.session.get(Partnership, made.get_json()["id"])
    # A proposal has no health yet, but it has been looked at: no first use recomputes it.
    assert (p.health, p.health_checked_at is not None) == (None, True)


@pytest.mark.committed
def test_first_uses_at_the_same_moment_compute_once(app, monkeypatch):
    """Six first requests at once (lists and summaries): every one answers 200, the health
    and each summary are computed once, and one row per summary is stored."""
    monkeypatch.setitem(app.config, "MONITORING_REFRESH_SECONDS", 600)
    with app.app_context():
        for _ in range(3):
            _unchecked_partnership()
        token = accounts.create_token(factories.CoordinatorFactory(), "first use", 1)[1]
        db.session.commit()
    computed: list[str] = []
    refreshed: list[list[int]] = []
    compute, refresh = monitoring.compute, partnerships.refresh_health

    def counting_compute(name, make=None):
        computed.append(name)
        return compute(name, make)

    def counting_refresh(ids):
        refreshed.append(list(ids))
        return refresh(ids)

    monkeypatch.setattr(monitoring, "compute", counting_compute)
    monkeypatch.setattr(partnerships, "refresh_health", counting_refresh)
    paths = ["/api/v1/partnerships", f"{MONITORING}partnerships", f"{MONITORING}overview"] * 2
    codes = fire([Call("GET", path, None, token) for path in paths], in_process(app))
    assert codes == [200] * len(paths)
    assert len(refreshed) == 1
    assert len(refreshed[0]) == 3
    assert sorted(computed) == ["overview", "partnerships"]
    with app.app_context():
        names = db.session.scalars(sa.select(Snapshot.name)).all()
        assert sorted(names) == ["overview", "partnerships"]
        unchecked = sa.select(Partnership).where(Partnership.health_checked_at.is_(None))
        assert db.session.scalars(unchecked).all() == []
        db.session.rollback()
