"""Bad input is a 4xx problem naming the field, never a 500; bodies hold any Chinese."""

from __future__ import annotations

import pytest

from cbec_alliance.conversations.models import MAX_BODY
from tests.conversations.conftest import URL, open_thread
from tests.documents.factories import DocumentFactory
from tests.helpers import assert_problem, validation_errors


@pytest.fixture
def opened(as_user, application):
    """The student's client and the open thread's id."""
    student = as_user(application.parties["student"])
    student.subject = application
    return student, open_thread(student, application).get_json()["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n\t "}, "body"),
        ({"body": "长" * (MAX_BODY + 1)}, "body"),
        ({"body": None}, "body"),
        ({"body": 5}, "body"),
        ({"subject": "lecture"}, "subject"),
        ({"subject": None}, "subject"),
        ({"subject_id": "12"}, "subject_id"),
        ({"subject_id": 2**40}, "subject_id"),
        ({"title": "题" * 201}, "title"),
        ({"document_ids": "1"}, "document_ids"),
        ({"document_ids": list(range(11))}, "document_ids"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_opening_is_422_naming_the_field(opened, change, field):
    student, _tid = opened
    s = student.subject
    body = {"subject": s.subject, "subject_id": s.subject_id, "body": "你好", **change}
    assert field in validation_errors(student.post(URL, json=body))


def test_missing_fields_are_named(opened):
    student, tid = opened
    assert set(validation_errors(student.post(URL, json={}))) >= {"subject", "subject_id", "body"}
    assert "body" in validation_errors(student.post(f"{URL}/{tid}/messages", json={}))
    assert "reason" in validation_errors(student.post(f"{URL}/{tid}/reports", json={}))
    assert "reason" in validation_errors(student.post(f"{URL}/{tid}/reports", json={"reason": " "}))


def test_an_object_that_does_not_exist_is_404(opened):
    student, _tid = opened
    resp = student.post(
        URL, json={"subject": "application", "subject_id": 2**31 - 1, "body": "你好"}
    )
    assert_problem(resp, 404)


def test_the_longest_body_and_any_chinese_are_kept(opened):
    student, tid = opened
    text = "跨境电商😀𠀀" + "长" * (MAX_BODY - 6)
    assert len(text) == MAX_BODY
    resp = student.post(f"{URL}/{tid}/messages", json={"body": text})
    assert resp.status_code == 201, resp.get_json()
    got = student.get(f"{URL}/{tid}/messages").get_json()["items"][-1]
    assert got["body"] == text


def test_unstorable_text_is_422(opened):
    student, tid = opened
    assert "body" in validation_errors(
        student.post(f"{URL}/{tid}/messages", json={"body": "a\x00"})
    )


def test_a_thread_that_does_not_exist_is_404(opened):
    student, tid = opened
    for resp in (
        student.get(f"{URL}/{tid + 1000}"),
        student.get(f"{URL}/{tid + 1000}/messages"),
        student.post(f"{URL}/{tid + 1000}/messages", json={"body": "你好"}),
        student.post(f"{URL}/{tid + 1000}/read", json={}),
    ):
        assert_problem(resp, 404)


def test_read_marker_must_be_a_message_of_the_thread(opened, as_user):
    student, tid = opened
    assert "message_id" in validation_errors(
        student.post(f"{URL}/{tid}/read", json={"message_id": 2**31 - 1})
    )
    assert "message_id" in validation_errors(
        student.post(f"{URL}/{tid}/read", json={"message_id": "x"})
    )


@pytest.mark.parametrize(
    "query",
    [{"per_page": 1001}, {"per_page": 0}, {"page": 0}, {"after": -1}, {"after": "x"}],
)
def test_bad_message_pages_are_422(opened, query):
    student, tid = opened
    assert set(query) <= set(
        validation_errors(student.get(f"{URL}/{tid}/messages", query_string=query))
    )


def test_documents_must_be_the_posters_own_uploads(opened):
    student, tid = opened
    others = DocumentFactory()
    resp = student.post(f"{URL}/{tid}/messages", json={"body": "附件", "document_ids": [others.id]})
    assert "document_ids" in validation_errors(resp)
    resp = student.post(f"{URL}/{tid}/messages", json={"body": "附件", "document_ids": [2**31 - 1]})
    assert "document_ids" in validation_errors(resp)
    # Nothing was posted by the refused requests.
    assert student.get(f"{URL}/{tid}/messages").get_json()["total"] == 1
