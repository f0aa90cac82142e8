"""Pages of messages: oldest first, by page or after a cursor, in a bounded number of
statements whatever the page's size."""

from __future__ import annotations

from cbec_alliance.extensions import db
from tests.conversations.conftest import URL, open_thread
from tests.documents.factories import DocumentFactory
from tests.helpers import statements_sent


def _thread_of(as_user, application, n: int):
    student_user = application.parties["student"]
    staff_user = application.parties["enterprise"]
    student, staff = as_user(student_user), as_user(staff_user)
    tid = open_thread(student, application, body="第1条").get_json()["id"]
    for i in range(2, n + 1):
        who, user = (staff, staff_user) if i % 2 else (student, student_user)
        doc = DocumentFactory(uploaded_by_id=user.id)
        who.post(f"{URL}/{tid}/messages", json={"body": f"第{i}条", "document_ids": [doc.id]})
    return student, tid


def test_pages_and_cursor(as_user, application):
    student, tid = _thread_of(as_user, application, 7)
    page = student.get(f"{URL}/{tid}/messages", query_string={"per_page": 3, "page": 2})
    body = page.get_json()
    assert body["total"] == 7
    assert [m["body"] for m in body["items"]] == ["第4条", "第5条", "第6条"]
    assert 'rel="next"' in page.headers["Link"]
    after = body["items"][1]["id"]
    rest = student.get(f"{URL}/{tid}/messages", query_string={"after": after}).get_json()
    assert [m["body"] for m in rest["items"]] == ["第6条", "第7条"]
    assert rest["total"] == 2
    whole = student.get(f"{URL}/{tid}/messages", query_string={"per_page": 1000}).get_json()
    assert len(whole["items"]) == 7


def test_a_page_costs_the_same_statements_whatever_its_size(app, as_user, application):
    student, tid = _thread_of(as_user, application, 12)
    with app.app_context():
        engine = db.engine
    counts = []
    for per_page in (2, 12):
        with statements_sent(engine) as sent:
            resp = student.get(f"{URL}/{tid}/messages", query_string={"per_page": per_page})
        assert resp.status_code == 200
        assert all(m["documents"] for m in resp.get_json()["items"][1:])
        counts.append(len(sent))
    assert counts[0] == counts[1]


def test_both_ways_of_writing_a_page_give_the_same_body(app, as_user, application):
    """PostgreSQL writes the page as JSON text; elsewhere Python does: the same body."""
    from cbec_alliance.conversations import listing
    from cbec_alliance.conversations.models import Thread

    student, tid = _thread_of(as_user, application, 5)
    for query in ({"per_page": 1000}, {"per_page": 2, "page": 2}, {"after": 0}):
        served = student.get(f"{URL}/{tid}/messages", query_string=query).get_json()
        args = {"page": 1, "per_page": 50, **query}
        with app.test_request_context():
            portable = listing.messages(db.session.get(Thread, tid), args)
        assert served == portable, query
