"""Jobs beyond internships (issue 19): kinds, salary bands and contract types, the internship
rules binding internships only, certificate requirements and language levels, filters,
search and subscriptions by kind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.internships.models import KINDS
from cbec_alliance.notifications.catalogue import spec_for
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.notifications.schemas import POSTING_KINDS
from cbec_alliance.taxonomy.models import TaxonomyItem
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.internships.helpers import URL, body, enterprise_staff
from tests.students.factories import student

FULL_TIME = {
    "kind": "full_time",
    "title": "跨境电商数据运营专员",
    "salary_band": "6000-8000",
    "contract_type": "fixed-term",
    "stipend_min": None,
    "stipend_max": None,
}
B2B = "cbec-b2b-data-operation"


def test_a_full_time_posting_keeps_its_terms(as_user):
    org, staff = enterprise_staff()
    data = body(
        org.id,
        **FULL_TIME,
        certificates=[{"code": B2B, "min_level": "intermediate"}],
        language_levels=[{"code": "es", "min_level": 3}, {"code": "en"}],
    )
    del data["languages"], data["stipend_min"], data["stipend_max"]
    resp = as_user(staff).post(URL, json=data)
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert (got["kind"], got["salary_band"], got["contract_type"]) == (
        "full_time",
        "6000-8000",
        "fixed-term",
    )
    assert got["certificates"] == [{"code": B2B, "min_level": "intermediate"}]
    assert got["languages"] == ["en", "es"]
    assert got["language_levels"] == [
        {"code": "en", "min_level": 1},
        {"code": "es", "min_level": 3},
    ]
    # The contract's clients see what they always saw: an internship by default.
    plain = as_user(staff).post(URL, json=body(org.id)).get_json()
    assert (plain["kind"], plain["salary_band"], plain["certificates"]) == ("internship", None, [])
    assert plain["language_levels"] == [{"code": "en", "min_level": 1}]


def test_the_internship_rules_bind_internships_only(as_user):
    org, staff = enterprise_staff()
    c = as_user(staff)
    # A full-time job's ten-hour days, night shifts and no intern insurance: not an intern's.
    terms = {"hours_per_day": 10, "hours_per_week": 50, "night_shifts": True}
    terms["insurance_provided"] = False
    job = c.post(URL, json=body(org.id, **FULL_TIME, **terms)).get_json()
    assert c.post(f"{URL}/{job['id']}/publish").status_code == 200
    assert c.patch(f"{URL}/{job['id']}", json={"hours_per_day": 11}).status_code == 200
    intern = c.post(URL, json=body(org.id, **terms)).get_json()
    problem = assert_problem(c.post(f"{URL}/{intern['id']}/publish"), 409)
    assert {r["code"] for r in problem["rules"]} >= {"max_hours_per_day", "no_night_shifts"}
    # Turning the open full-time job into an internship brings the rules back.
    back = {"kind": "internship", "salary_band": None, "contract_type": None}
    assert_problem(c.patch(f"{URL}/{job['id']}", json=back), 409)
    part = c.post(URL, json=body(org.id, kind="part_time", night_shifts=True)).get_json()
    assert c.post(f"{URL}/{part['id']}/publish").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({**FULL_TIME, "salary_band": None}, "salary_band"),
        ({**FULL_TIME, "contract_type": None}, "contract_type"),
        ({"kind": "full_time", "contract_type": "fixed-term"}, "salary_band"),
        ({"salary_band": "4000-6000"}, "salary_band"),  # an internship has a stipend
        ({"contract_type": "fixed-term"}, "contract_type"),
        ({**FULL_TIME, "salary_band": "5000-7000"}, "salary_band"),  # not a band
        ({**FULL_TIME, "contract_type": "handshake"}, "contract_type"),
        ({"kind": "gig"}, "kind"),
        ({"kind": None}, "kind"),
        (
            {"certificates": [{"code": "made-up-cert", "min_level": "junior"}]},
            "certificates.0.code",
        ),
        (
            {
                "certificates": [
                    {"code": B2B, "min_level": "junior"},
                    {"code": "fake-1x", "min_level": "senior"},
                ]
            },
            "certificates.1.code",
        ),
        ({"certificates": [{"code": B2B, "min_level": "expert"}]}, "certificates"),
        ({"certificates": [{"code": B2B}]}, "certificates"),
        (
            {"certificates": [{"code": B2B, "min_level": "junior"}] * 2},
            "certificates",
        ),
        ({"language_levels": [{"code": "es", "min_level": 6}]}, "language_levels"),
        (
            {"language_levels": [{"code": "xx", "min_level": 2}], "languages": None},
            "language_levels",
        ),
        ({"language_levels": [{"code": "es", "min_level": 2}]}, "language_levels"),  # and languages
    ],
)
def test_bad_terms_are_422_naming_the_field(as_user, overrides, field):
    org, staff = enterprise_staff()
    data = {k: v for k, v in body(org.id, **overrides).items() if v is not None or k == "kind"}
    if overrides.get("kind", "") is None:
        data["kind"] = None
    for name in ("salary_band", "contract_type"):
        if name in overrides and overrides[name] is None:
            data.pop(name, None)
    errors = validation_errors(as_user(staff).post(URL, json=data))
    assert any(key == field or key.startswith(f"{field}.") for key in errors), errors


def test_a_certificate_awarded_at_fewer_levels_names_the_level(as_user):
    db.session.add(
        TaxonomyItem(
            vocabulary="certificates",
            code="cbec-test-junior-only",
            name_en="A certificate awarded at junior level only",
            name_zh="仅初级证书",
            details={"issuer": "某评价组织", "levels": ["junior"], "competencies": []},
        )
    )
    db.session.commit()
    org, staff = enterprise_staff()
    bad = [
        {"code": B2B, "min_level": "senior"},
        {"code": "cbec-test-junior-only", "min_level": "senior"},
    ]
    errors = validation_errors(as_user(staff).post(URL, json=body(org.id, certificates=bad)))
    assert "certificates.1.min_level" in errors
    assert "junior" in errors["certificates.1.min_level"][0]


def test_patching_the_kind_checks_the_terms_it_needs(as_user):
    org, staff = enterprise_staff()
    c = as_user(staff)
    posting = c.post(URL, json=body(org.id)).get_json()
    url = f"{URL}/{posting['id']}"
    assert "salary_band" in validation_errors(c.patch(url, json={"kind": "full_time"}))
    job = {"kind": "full_time", "salary_band": "10000-15000", "contract_type": "open-ended"}
    assert c.patch(url, json=job).get_json()["kind"] == "full_time"
    assert "salary_band" in validation_errors(c.patch(url, json={"kind": "internship"}))
    flexible = {"kind": "flexible", "salary_band": None, "contract_type": "freelance"}
    got = c.patch(url, json=flexible).get_json()
    assert (got["kind"], got["salary_band"], got["contract_type"]) == (
        "flexible",
        None,
        "freelance",
    )


def _jobs():
    org, _ = enterprise_staff()
    jobs = {
        "intern": InternshipFactory(enterprise_id=org.id, title="直播运营实习生"),
        "full": InternshipFactory(
            enterprise_id=org.id,
            title="直播运营主管",
            kind="full_time",
            salary_band="8000-10000",
            contract_type="fixed-term",
        ),
        "full_low": InternshipFactory(
            enterprise_id=org.id,
            title="客服专员",
            kind="full_time",
            salary_band="4000-6000",
            contract_type="fixed-term",
        ),
        "part": InternshipFactory(enterprise_id=org.id, title="兼职直播助理", kind="part_time"),
        "flex": InternshipFactory(
            enterprise_id=org.id, title="西语翻译（灵活用工）", kind="flexible"
        ),
    }
    return org, jobs


@pytest.mark.parametrize("portable", [False, True])
def test_the_list_filters_and_searches_by_kind_and_salary_band(client, app, portable):
    app.config["INTERNSHIP_LIST_PORTABLE"] = portable
    _org, jobs = _jobs()

    def ids(query: str) -> set[int]:
        resp = client.get(f"{URL}?{query}")
        assert resp.status_code == 200, resp.get_json()
        return {i["id"] for i in resp.get_json()["items"]}

    assert ids("kind=full_time") == {jobs["full"].id, jobs["full_low"].id}
    assert ids("kind=internship") == {jobs["intern"].id}
    assert ids("kind=part_time") == {jobs["part"].id}
    assert ids("salary_band=8000-10000") == {jobs["full"].id}
    assert ids("kind=full_time&salary_band=4000-6000") == {jobs["full_low"].id}
    assert ids("q=直播") == {jobs["intern"].id, jobs["full"].id, jobs["part"].id}
    assert ids("q=直播&kind=full_time") == {jobs["full"].id}
    assert ids("kind=flexible&q=西语") == {jobs["flex"].id}
    assert len(ids("")) == 5
    item = next(
        i for i in client.get(f"{URL}?kind=full_time&salary_band=8000-10000").get_json()["items"]
    )
    assert (item["kind"], item["salary_band"], item["contract_type"]) == (
        "full_time",
        "8000-10000",
        "fixed-term",
    )
    assert client.get(f"{URL}?kind=full_time").get_json()["total"] == 2
    assert "kind" in validation_errors(client.get(f"{URL}?kind=gig"))


def test_list_items_carry_certificates_and_language_levels(client, app):
    app.config["INTERNSHIP_LIST_PORTABLE"] = True
    posting = InternshipFactory(
        languages={"es": 3, "en": 1}, certificates={B2B: "intermediate"}, kind="flexible"
    )
    (item,) = client.get(URL).get_json()["items"]
    assert item["id"] == posting.id
    assert item["certificates"] == [{"code": B2B, "min_level": "intermediate"}]
    assert item["language_levels"] == [
        {"code": "en", "min_level": 1},
        {"code": "es", "min_level": 3},
    ]
    assert item == client.get(f"{URL}/{posting.id}").get_json() | {
        k: item[k] for k in item if k not in client.get(f"{URL}/{posting.id}").get_json()
    }


def test_subscriptions_choose_kinds(as_user):
    org, staff = enterprise_staff()
    full_time_fan, intern_fan, anything = student(), student(), student()
    for user, kinds in ((full_time_fan, ["full_time"]), (intern_fan, ["internship"])):
        resp = as_user(user).post(
            "/api/v1/subscriptions", json={"kinds": kinds, "districts": ["tianhe"]}
        )
        assert resp.status_code == 201, resp.get_json()
        assert resp.get_json()["kinds"] == kinds
    assert as_user(anything).post("/api/v1/subscriptions", json={"kinds": []}).status_code == 422
    only_kinds = as_user(anything).post("/api/v1/subscriptions", json={"kinds": ["flexible"]})
    assert only_kinds.status_code == 201
    bad = as_user(anything).post("/api/v1/subscriptions", json={"kinds": ["gig"]})
    assert "kinds.0" in validation_errors(bad)
    job = as_user(staff).post(URL, json=body(org.id, **FULL_TIME)).get_json()
    assert as_user(staff).post(f"{URL}/{job['id']}/publish").status_code == 200
    (event,) = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "internship.published")
    ).all()
    assert event.payload["kind"] == "full_time"
    got = [u for batch in spec_for("internship.published").recipients(event, 10) for u in batch]
    assert got == [full_time_fan.id]
    # The fan hears of a full-time job, not of an "internship".
    inbox = as_user(full_time_fan).get("/api/v1/notifications").get_json()["items"]
    assert [n["title"] for n in inbox] == [f"新全职岗位：{job['title']}"]


def test_the_kinds_are_the_same_everywhere():
    assert POSTING_KINDS == KINDS
