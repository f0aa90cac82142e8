"""Every capacity and uniqueness limit holds under concurrent requests, on both databases.

Each scenario of `tests/core/races.py` fires its wave of requests at the same instant, once
in threads through the app in this process and once across two gunicorn worker processes
serving the same database, then reads back the rows: exactly as many requests succeed as
there are places, the rows holding places equal the stored counter, and the integrity check
(`flask check-integrity`) finds nothing broken. `bench/races.py` runs them many times over.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.core.integrity import check, duplicates
from cbec_alliance.courses.models import PLACES
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import SLOTS
from cbec_alliance.lectures.models import SEATS
from tests.core.race_runner import fire, gunicorn, in_process, over_http
from tests.core.races import RACE_SETTINGS, SCENARIOS, Race

pytestmark = pytest.mark.committed


def _build(app, name: str) -> Race:
    with app.app_context():
        race = SCENARIOS[name]()
        db.session.commit()
        return race


def _verify(app, race: Race, codes: list[int]) -> None:
    won = [code for code in codes if 200 <= code < 300]
    assert len(won) == race.places, (race.name, codes)
    assert set(codes) - set(won) == {409}, (race.name, codes)
    with app.app_context():
        held, stored = race.readback()
        assert (held, stored) == (race.places, race.places), race.name
        assert {name: rows for name, rows in check().items() if rows} == {}
        db.session.rollback()


@pytest.fixture(autouse=True)
def _race_settings(app, monkeypatch):
    """The settings the gunicorn workers run with, in this process too (undone after)."""
    for setting, value in RACE_SETTINGS.items():
        monkeypatch.setitem(app.config, setting, value)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_threads_never_pass_a_limit(app, name):
    race = _build(app, name)
    _verify(app, race, fire(race.calls, in_process(app)))


@pytest.fixture(scope="module")
def server(app):
    """Two gunicorn worker processes (4 threads each) serving the suite's database."""
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"]) as base:
        yield base


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_two_worker_processes_never_pass_a_limit(app, server, name):
    race = _build(app, name)
    _verify(app, race, fire(race.calls, over_http(server)))


# The scenarios guarded by a counter, and that counter.
COUNTED = {"slots": SLOTS, "course": PLACES, "event": SEATS}


@pytest.mark.parametrize("name", sorted(COUNTED))
def test_the_integrity_check_finds_a_counter_set_wrong_by_hand(app, name):
    """The check is not blind: after the race, a counter set to 0 behind the services'
    back (its rows still holding their places) is reported with its row."""
    race = _build(app, name)
    fire(race.calls, in_process(app))
    spec = COUNTED[name]
    with app.app_context():
        db.session.execute(sa.update(spec.table).values({spec.count: 0}))
        report = check()
        db.session.rollback()
    rows = report[f"counter: {spec.name}"]
    assert [(r["stored"], r["held"]) for r in rows] == [(0, race.places)]


def test_the_integrity_check_finds_duplicates(app):
    """A uniqueness rule's query finds rows sharing its key (on a table with no unique
    index, since the real tables refuse such rows)."""
    table = sa.Table(
        "integrity_probe", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer)
    )
    with app.app_context():
        table.create(db.session.connection())
        db.session.execute(table.insert(), [{"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 3}])
        found = [tuple(r) for r in db.session.execute(duplicates(table, "a", "b")())]
        db.session.rollback()
    assert found == [(1, 2, 2)]
