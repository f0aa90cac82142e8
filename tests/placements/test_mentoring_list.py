"""A mentor's list of students (`GET /placements/mentoring`): one statement a page, the same
placements and fields as everywhere else."""

from __future__ import annotations

from datetime import date

from cbec_alliance.extensions import db
from cbec_alliance.placements.models import Placement
from tests import factories
from tests.helpers import statements_sent
from tests.placements.records_factories import running

URL = "/api/v1/placements/mentoring"


def _mentored(app, count: int, **extra):
    """A mentor (university staff) and `count` placements they mentor: as school mentor, and
    every third as enterprise mentor; each starting a day later than the one before."""
    with app.app_context():
        mentor = factories.UserFactory()
        ids = []
        for k in range(count):
            run = running(starts_on=date(2027, 2, 1 + k), **extra)
            column = "enterprise_mentor_id" if k % 3 == 2 else "school_mentor_id"
            setattr(run.placement, column, mentor.id)
            ids.append(run.placement.id)
        running()  # someone else's student
        db.session.commit()
        return mentor, ids


def _statements(app):
    """The statements sent while the context is open (tests.helpers.statements_sent)."""
    with app.app_context():
        engine = db.engine
    return statements_sent(engine)


def test_the_pages_and_their_total(app, as_user):
    mentor, ids = _mentored(app, 5)
    client = as_user(mentor)
    pages = [client.get(URL, query_string={"per_page": 2, "page": n}) for n in (1, 2, 3, 4)]
    bodies = [p.get_json() for p in pages]
    assert [b["total"] for b in bodies] == [5, 5, 5, 5]
    assert [[i["id"] for i in b["items"]] for b in bodies] == [ids[:2], ids[2:4], ids[4:], []]
    assert 'rel="next"' in pages[0].headers["Link"]
    empty = client.get(URL, query_string={"state": "completed"}).get_json()
    assert (empty["total"], empty["items"]) == (0, [])


def test_the_fields_are_those_of_the_placement(app, as_user):
    mentor, [pid] = _mentored(app, 1, stipend=4200, reason_text="调岗 moved")
    client = as_user(mentor)
    [item] = client.get(URL).get_json()["items"]
    detail = client.get(f"/api/v1/placements/{pid}").get_json()
    assert item == {key: detail[key] for key in item}
    assert (item["stipend"], item["reason_text"], item["hours_per_day"]) == (4200, "调岗 moved", 8)


def test_a_page_costs_the_same_statements_whatever_it_holds(app, as_user):
    few, _ = _mentored(app, 1)
    many, _ = _mentored(app, 6)
    clients = as_user(few), as_user(many)
    for client in clients:  # the login and caches warmed
        client.get(URL)
    counts = []
    for client in clients:
        with _statements(app) as sent:
            assert client.get(URL).status_code == 200
        counts.append(len([s for s in sent if "placements" in s]))
    assert counts == [1, 1]


def test_a_state_narrows_the_list_and_others_see_none_of_it(app, as_user):
    mentor, ids = _mentored(app, 3)
    with app.app_context():
        db.session.get(Placement, ids[1]).state = "suspended"
        db.session.commit()
    active = as_user(mentor).get(URL, query_string={"state": "active"}).get_json()
    assert ([i["id"] for i in active["items"]], active["total"]) == ([ids[0], ids[2]], 2)
    with app.app_context():
        stranger = factories.member(factories.UniversityFactory(), "admin")
    assert as_user(stranger).get(URL).get_json() == {
        "items": [],
        "total": 0,
        "page": 1,
        "per_page": 20,
    }
