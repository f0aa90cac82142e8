"""Certificate exams from sitting to verification: schedule, register under capacity,
results, records on the profile, and the public verification."""

from __future__ import annotations

import pytest

from tests import factories
from tests.careers.conftest import B2B, EXAM_DAY, EXAMS, exam_body, named_student
from tests.helpers import assert_problem, validation_errors
from tests.partnerships.factories import TrainingBaseFactory

VERIFY = "/api/v1/certificates/verify"
PROFILE = "/api/v1/students/me/profile"


def register_all(site, exam) -> None:
    for c in site["clients"]:
        resp = c.post(f"{EXAMS}/{exam['id']}/registrations")
        assert resp.status_code == 201, resp.get_json()


def test_from_exam_to_verification(site, exam, client):
    register_all(site, exam)
    a, b = site["students"]
    site["clock"](EXAM_DAY)
    resp = site["staff"].post(
        f"{EXAMS}/{exam['id']}/results",
        json={
            "results": [{"student_id": a.id, "score": "86.5"}, {"student_id": b.id, "score": "52"}]
        },
    )
    assert resp.status_code == 200, resp.get_json()
    got = {r["student_id"]: r for r in resp.get_json()["items"]}
    assert got[a.id]["passed"] is True
    assert got[a.id]["score"] == "86.5"
    assert got[b.id]["passed"] is False
    # The passing student's record, and the profile lists it as verified.
    records = site["clients"][0].get("/api/v1/certificate-records/mine").get_json()
    assert records["total"] == 1
    number = records["items"][0]["number"]
    assert number.startswith("CBEC-2027-")
    profile = site["clients"][0].get(PROFILE).get_json()
    assert {
        "code": B2B,
        "name": "跨境电商B2B数据运营",
        "level": "intermediate",
        "verified": True,
        "number": number,
    } in profile["certificates"]
    assert site["clients"][1].get("/api/v1/certificate-records/mine").get_json()["total"] == 0
    # Anyone verifies number and name; only the certificate, level and day are told.
    ok = client.get(VERIFY, query_string={"number": number, "name": "李小明"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json() == {
        "valid": True,
        "number": number,
        "certificate_code": B2B,
        "certificate": "跨境电商B2B数据运营",
        "level": "intermediate",
        "issued_on": EXAM_DAY.isoformat(),
    }
    # A lower-case number typed from paper is the same record.
    assert (
        client.get(VERIFY, query_string={"number": number.lower(), "name": "李小明"}).status_code
        == 200
    )
    for wrong in (
        {"number": number, "name": "陈静"},
        {"number": "CBEC-2027-0000000000", "name": "李小明"},
    ):
        assert_problem(client.get(VERIFY, query_string=wrong), 404)


def test_a_verified_record_survives_the_students_own_profile_edits(site, exam):
    register_all(site, exam)
    site["clock"](EXAM_DAY)
    a = site["students"][0]
    site["staff"].post(
        f"{EXAMS}/{exam['id']}/results", json={"results": [{"student_id": a.id, "score": "90"}]}
    )
    c = site["clients"][0]
    body = {"certificates": [{"name": "自考英语", "level": "junior"}]}
    resp = c.put(PROFILE, json=body)
    assert resp.status_code == 200, resp.get_json()
    certs = resp.get_json()["certificates"]
    assert [x["verified"] for x in certs] == [True, False]


def test_capacity_holds_and_a_seat_given_back_frees_it(site, exam, as_user):
    register_all(site, exam)  # capacity 2
    third = as_user(named_student(site["uni"], "王五"))
    assert_problem(third.post(f"{EXAMS}/{exam['id']}/registrations"), 409)
    assert_problem(site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations"), 409)
    resp = site["clients"][0].delete(f"{EXAMS}/{exam['id']}/registrations/mine")
    assert resp.status_code == 204
    assert third.post(f"{EXAMS}/{exam['id']}/registrations").status_code == 201
    assert site["staff"].get(f"{EXAMS}/{exam['id']}").get_json()["registered_count"] == 2


def test_registration_closes_the_day_before_and_results_open_on_the_day(site, exam):
    c = site["clients"][0]
    assert c.post(f"{EXAMS}/{exam['id']}/registrations").status_code == 201
    a = site["students"][0]
    results = {"results": [{"student_id": a.id, "score": "70"}]}
    assert_problem(site["staff"].post(f"{EXAMS}/{exam['id']}/results", json=results), 409)
    site["clock"](EXAM_DAY)
    assert_problem(site["clients"][1].post(f"{EXAMS}/{exam['id']}/registrations"), 409)
    assert_problem(c.delete(f"{EXAMS}/{exam['id']}/registrations/mine"), 409)
    assert site["staff"].post(f"{EXAMS}/{exam['id']}/results", json=results).status_code == 200
    # Final once entered.
    assert_problem(site["staff"].post(f"{EXAMS}/{exam['id']}/results", json=results), 409)


def test_a_result_for_a_student_not_registered_is_409_and_nothing_is_stored(site, exam):
    site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations")
    site["clock"](EXAM_DAY)
    a, b = site["students"]
    body = {"results": [{"student_id": a.id, "score": "80"}, {"student_id": b.id, "score": "80"}]}
    problem = assert_problem(site["staff"].post(f"{EXAMS}/{exam['id']}/results", json=body), 409)
    assert str(b.id) in problem["detail"]
    seats = site["staff"].get(f"{EXAMS}/{exam['id']}/registrations").get_json()["items"]
    assert [s["score"] for s in seats] == [None]


def test_cancel_tells_registrants_and_is_refused_after_results(site, exam, as_user):
    register_all(site, exam)
    resp = site["staff"].post(f"{EXAMS}/{exam['id']}/cancel", json={"reason": "考场检修"})
    assert resp.status_code == 200
    assert resp.get_json()["state"] == "cancelled"
    inbox = site["clients"][0].get("/api/v1/notifications").get_json()["items"]
    assert any("考试取消" in n["title"] for n in inbox), inbox
    assert_problem(site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations"), 409)
    second = site["staff"].post(EXAMS, json=exam_body(site["uni"].id)).get_json()
    site["clients"][0].post(f"{EXAMS}/{second['id']}/registrations")
    site["clock"](EXAM_DAY)
    a = site["students"][0]
    site["staff"].post(
        f"{EXAMS}/{second['id']}/results", json={"results": [{"student_id": a.id, "score": "61"}]}
    )
    assert_problem(site["staff"].post(f"{EXAMS}/{second['id']}/cancel", json={"reason": "x"}), 409)


def test_the_public_list_and_detail(site, exam, client):
    listed = client.get(EXAMS, query_string={"certificate_code": B2B}).get_json()
    assert [e["id"] for e in listed["items"]] == [exam["id"]]
    assert client.get(EXAMS, query_string={"level": "senior"}).get_json()["total"] == 0
    assert client.get(f"{EXAMS}/{exam['id']}").get_json()["pass_score"] == "60.0"
    assert_problem(client.get(f"{EXAMS}/999999"), 404)


def test_an_enterprise_holds_exams_at_its_training_base(as_user, clock):
    ent = factories.OrganizationFactory()
    staff = as_user(factories.member(ent, "staff"))
    base = TrainingBaseFactory(host_enterprise_id=ent.id)
    assert "training_base_id" in validation_errors(staff.post(EXAMS, json=exam_body(ent.id)))
    other = TrainingBaseFactory()
    assert "training_base_id" in validation_errors(
        staff.post(EXAMS, json=exam_body(ent.id, training_base_id=other.id))
    )
    resp = staff.post(EXAMS, json=exam_body(ent.id, training_base_id=base.id))
    assert resp.status_code == 201, resp.get_json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"certificate_code": "made-up"}, "certificate_code"),
        ({"certificate_code": "Bad Code"}, "certificate_code"),
        ({"level": "master"}, "level"),
        ({"exam_date": "2027-06-07"}, "exam_date"),  # today
        ({"exam_date": "not a date"}, "exam_date"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "10"}, "capacity"),
        ({"pass_score": "101"}, "pass_score"),
        ({"site_organization_id": 999999}, "site_organization_id"),
        ({"location": "x" * 301}, "location"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_exams_are_422_naming_the_field(site, overrides, field):
    errors = validation_errors(
        site["staff"].post(EXAMS, json=exam_body(site["uni"].id, **overrides))
    )
    assert field in errors, errors


@pytest.mark.parametrize(
    "results",
    [
        [],
        [{"student_id": 1}],
        [{"student_id": 1, "score": "-1"}],
        [{"student_id": 1, "score": "100.5"}],
        [{"student_id": "1", "score": "50"}],
        [{"student_id": 1, "score": "abc"}],
    ],
)
def test_bad_results_are_422(site, exam, results):
    site["clock"](EXAM_DAY)
    errors = validation_errors(
        site["staff"].post(f"{EXAMS}/{exam['id']}/results", json={"results": results})
    )
    assert any(k.startswith("results") for k in errors), errors


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"number": "CBEC-2027-X"},
        {"name": "李小明"},
        {"number": "", "name": "x"},
        {"number": "x" * 41, "name": "x"},
    ],
)
def test_bad_verification_queries_are_422(client, query):
    assert_problem(client.get(VERIFY, query_string=query), 422)


def test_verification_is_rate_limited(app, client):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [
            client.get(
                VERIFY, query_string={"number": "CBEC-2027-0000000000", "name": "某"}
            ).status_code
            for _ in range(5)
        ]
    finally:
        app.config["VERIFY_RATE_LIMIT"] = "30 per minute"
    assert codes == [404, 404, 404, 429, 429]


def test_pass_rates_in_the_employment_report(site, exam, coord, as_user):
    register_all(site, exam)
    site["clock"](EXAM_DAY)
    a, b = site["students"]
    site["staff"].post(
        f"{EXAMS}/{exam['id']}/results",
        json={
            "results": [{"student_id": a.id, "score": "80"}, {"student_id": b.id, "score": "40"}]
        },
    )
    url = "/api/v1/monitoring/employment"
    rows = coord.get(url, query_string={"year": EXAM_DAY.year}).get_json()["certificates"]
    assert rows == [
        {
            "key": f"{B2B}:intermediate",
            "certificate_code": B2B,
            "name": "跨境电商B2B数据运营",
            "level": "intermediate",
            "university_id": site["uni"].id,
            "results": 2,
            "passed": 1,
            "pass_rate": 0.5,
        }
    ]
    # Another university's staff see none of it; the site's own staff see theirs.
    other = as_user(factories.member(factories.UniversityFactory(), "staff"))
    assert other.get(url, query_string={"year": EXAM_DAY.year}).get_json()["certificates"] == []
    mine = site["staff"].get(url, query_string={"year": EXAM_DAY.year}).get_json()
    assert [r["passed"] for r in mine["certificates"]] == [1]
    csv = coord.get(url, query_string={"year": EXAM_DAY.year, "format": "csv"}).data.decode()
    assert "跨境电商B2B数据运营" in csv
    assert coord.get(url, query_string={"year": EXAM_DAY.year - 1}).get_json()["certificates"] == []
