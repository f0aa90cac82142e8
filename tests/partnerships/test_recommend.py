"""Partner matching through the API: recommended partners per mode, and any pair's fit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.partnerships.fit import SCORERS
from cbec_alliance.surveys.models import Survey, SurveyAnswer, SurveyResponse
from cbec_alliance.training_bases.models import BaseCompetency, BaseUniversity, TrainingBase
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.partnerships import factories as pf
from tests.students.factories import student

URL = "/api/v1/organizations/{}/recommended-partners"


@pytest.fixture
def alliance(as_user, coord):
    """An enterprise asking for English and data analysis, and two universities: one whose
    students have it (and teach it), one that offers neither."""
    ent = factories.OrganizationFactory(district="tianhe")
    InternshipFactory(
        enterprise_id=ent.id,
        slots=2,
        competencies={"english": 2, "data-analysis": 2},
        majors=["e-commerce"],
    )
    strong = factories.UniversityFactory(district="tianhe")
    weak = factories.UniversityFactory(district="huadu")
    for _ in range(2):
        student(strong, competencies={"english": 4, "data-analysis": 3})
    student(weak, competencies={"english": 1})
    db.session.add(
        Course(
            university_id=strong.id,
            code="EN-101",
            title="商务英语",
            credits=Decimal("2"),
            hours=32,
            semester="2026-fall",
            language="zh",
            capacity=30,
            status="published",
            competencies=[CourseCompetency(code="english")],
        )
    )
    db.session.add(
        TrainingBase(
            name="天河实训基地",
            host_enterprise_id=ent.id,
            district="tianhe",
            capacity=20,
            status="approved",
            level="municipal",
            universities=[BaseUniversity(university_id=weak.id)],
            competencies=[BaseCompetency(code="data-analysis")],
        )
    )
    db.session.flush()
    return {
        "ent": ent,
        "strong": strong,
        "weak": weak,
        "e": as_user(factories.member(ent, "staff")),
        "s": as_user(factories.member(strong, "admin")),
        "coord": coord,
        "other": as_user(factories.member(factories.OrganizationFactory(), "admin")),
    }


def test_an_enterprise_gets_the_universities_that_fit_best_with_reasons(alliance):
    got = (
        alliance["e"].get(URL.format(alliance["ent"].id) + "?mode=internship-employment").get_json()
    )
    ids = [i["organization"]["id"] for i in got["items"]]
    assert ids.index(alliance["strong"].id) < ids.index(alliance["weak"].id)
    top = got["items"][0]
    assert 0 <= top["score"] <= 1
    assert {r["factor"] for r in top["reasons"]} == {"majors", "competencies", "size"}
    assert top["partnership"] is None


def test_courses_go_where_the_demand_is_not_taught_and_bases_where_there_is_none(alliance):
    courses = (
        alliance["e"]
        .get(URL.format(alliance["ent"].id) + "?mode=co-developed-courses")
        .get_json()["items"]
    )
    score = {i["organization"]["id"]: i["score"] for i in courses}
    assert score[alliance["weak"].id] > score[alliance["strong"].id]  # strong teaches English
    bases = (
        alliance["e"]
        .get(URL.format(alliance["ent"].id) + "?mode=joint-training-bases")
        .get_json()["items"]
    )
    score = {i["organization"]["id"]: i["score"] for i in bases}
    # Same district and no base for data analysis yet (0.4 + 0.4), against a university in
    # Huadu (not adjacent to Tianhe) that has one; both get 20 places of room (0.2 * 20/30).
    assert score[alliance["strong"].id] == 0.9333
    assert score[alliance["weak"].id] == 0.1333


def test_a_university_gets_enterprises_and_a_live_partner_is_marked(alliance):
    p = (
        alliance["s"]
        .post(
            "/api/v1/partnerships",
            json={
                "enterprise_id": alliance["ent"].id,
                "university_id": alliance["strong"].id,
                "modes": ["internship-employment"],
                "starts_on": "2026-09-01",
            },
        )
        .get_json()
    )
    got = (
        alliance["s"]
        .get(URL.format(alliance["strong"].id) + "?mode=internship-employment")
        .get_json()
    )
    mine = next(i for i in got["items"] if i["organization"]["id"] == alliance["ent"].id)
    assert mine["partnership"] == {"id": p["id"], "status": "proposed"}


def test_coordinators_score_any_pair_in_every_mode(alliance):
    got = (
        alliance["coord"]
        .get(
            f"/api/v1/partnerships/fit?enterprise_id={alliance['ent'].id}"
            f"&university_id={alliance['strong'].id}"
        )
        .get_json()
    )
    assert [m["mode"] for m in got["modes"]] == list(SCORERS)
    assert all(m["reasons"] for m in got["modes"])
    assert got["university"]["id"] == alliance["strong"].id


def test_who_may_ask_and_bad_input(alliance, client):
    url = URL.format(alliance["ent"].id) + "?mode=internship-employment"
    assert_problem(alliance["other"].get(url), 404)
    assert_problem(client.get(url), 401)
    assert alliance["coord"].get(url).status_code == 200
    assert "mode" in validation_errors(alliance["e"].get(URL.format(alliance["ent"].id)))
    for bad in ("teaching", "order class", "x" * 500, "internship_employment_"):
        assert "mode" in validation_errors(
            alliance["e"].get(URL.format(alliance["ent"].id), query_string={"mode": bad})
        )
    fit = "/api/v1/partnerships/fit"
    assert_problem(
        alliance["e"].get(
            f"{fit}?enterprise_id={alliance['ent'].id}&university_id={alliance['strong'].id}"
        ),
        403,
    )
    assert "university_id" in validation_errors(
        alliance["coord"].get(f"{fit}?enterprise_id={alliance['ent'].id}&university_id=999999")
    )
    assert "enterprise_id" in validation_errors(
        alliance["coord"].get(f"{fit}?enterprise_id=x&university_id=1")
    )
    assert_problem(alliance["coord"].get(URL.format(999999) + "?mode=joint-competitions"), 404)


def test_an_open_posting_without_a_free_slot_breaks_nothing(alliance):
    full = factories.OrganizationFactory(district="panyu")
    InternshipFactory(enterprise_id=full.id, slots=1, accepted_count=1, competencies={"english": 2})
    InternshipFactory(enterprise_id=full.id, slots=1, competencies={"data-analysis": 2})
    db.session.flush()
    for mode in ("internship-employment", "co-developed-courses", "joint-competitions"):
        resp = alliance["s"].get(URL.format(alliance["strong"].id) + f"?mode={mode}")
        assert resp.status_code == 200, resp.get_json()
        ids = [i["organization"]["id"] for i in resp.get_json()["items"]]
        assert full.id in ids
    resp = alliance["coord"].get(
        f"/api/v1/partnerships/fit?enterprise_id={full.id}&university_id={alliance['strong'].id}"
    )
    assert resp.status_code == 200, resp.get_json()
    competencies = next(
        r for r in resp.get_json()["modes"][0]["reasons"] if r["factor"] == "competencies"
    )
    # The full posting demands nothing: the strong university covers the data analysis.
    assert competencies["value"] == 1.0
    assert "english" not in competencies["detail"]


def _answered(year: int, enterprise, competencies: list[str]) -> None:
    survey = Survey(title=f"{year} 人才需求调查", year=year, distributed=10, status="closed")
    db.session.add(survey)
    db.session.flush()
    response = SurveyResponse(survey_id=survey.id, enterprise_id=enterprise.id, answers={})
    db.session.add(response)
    db.session.flush()
    for code in competencies:
        db.session.add(
            SurveyAnswer(
                response_id=response.id,
                survey_id=survey.id,
                question_code="competencies",
                option_code=code,
            )
        )
    db.session.flush()


def test_only_the_latest_survey_with_responses_counts_as_demand(alliance):
    asking = factories.OrganizationFactory()
    _answered(2024, asking, ["logistics"])  # an old survey: no longer demand
    _answered(2025, asking, ["english"])
    db.session.add(Survey(title="2026 人才需求调查", year=2026, distributed=10, status="open"))
    db.session.flush()
    got = (
        alliance["coord"]
        .get(
            f"/api/v1/partnerships/fit?enterprise_id={asking.id}"
            f"&university_id={alliance['strong'].id}"
        )
        .get_json()
    )
    competencies = next(r for r in got["modes"][0]["reasons"] if r["factor"] == "competencies")
    # The strong university's students cover English; logistics would halve the credit.
    assert competencies["value"] == 1.0
    assert "logistics" not in competencies["detail"]


def test_a_university_gets_the_bases_with_room_in_or_near_its_district_first(as_user):
    """Same district > adjacent > farther; spare places from the last year's sessions; a
    base without a spare place scores nothing."""
    uni = factories.UniversityFactory(district="haizhu")
    other = factories.UniversityFactory(district="haizhu")
    hosts = {}
    for name, district in (
        ("same", "haizhu"),
        ("adjacent", "yuexiu"),
        ("farther", "huadu"),
        ("busy", "haizhu"),
        ("full", "haizhu"),
    ):
        hosts[name] = factories.OrganizationFactory(district="nansha")
        base = pf.TrainingBaseFactory(
            host_enterprise_id=hosts[name].id, district=district, capacity=30, universities=[other]
        )
        if name == "busy":  # 10 + 5 students on one day, 15 on another: 15 a day
            pf.base_session(base, other, 10, days_ago=20)
            pf.base_session(base, uni, 5, days_ago=20)
            pf.base_session(base, other, 15, days_ago=50)
            pf.base_session(base, other, 30, days_ago=400)  # over a year ago
        if name == "full":
            pf.base_session(base, other, 30, days_ago=5)
    client = as_user(factories.member(uni, "staff"))
    got = client.get(URL.format(uni.id) + "?mode=joint-training-bases&per_page=100").get_json()
    items = {i["organization"]["id"]: i for i in got["items"]}
    score = {name: items[org.id]["score"] for name, org in hosts.items()}
    # 0.4 place + 0.4 novelty (no base of its own yet) + 0.2 room (30 spare places or 15)
    assert score == {"same": 1.0, "adjacent": 0.8, "farther": 0.6, "busy": 0.9, "full": 0.0}
    order = [i["organization"]["id"] for i in got["items"]]
    ranked = [hosts[n].id for n in ("same", "busy", "adjacent", "farther", "full")]
    assert [o for o in order if o in ranked] == ranked

    def detail(name, factor):
        return next(r["detail"] for r in items[hosts[name].id]["reasons"] if r["factor"] == factor)

    assert detail("adjacent", "place") == "base in yuexiu, university in haizhu: adjacent districts"
    assert detail("farther", "place") == "base in huadu, university in haizhu: not adjacent"
    assert detail("busy", "room") == "15 of 30 places free on a typical day of use (15.0 taken)"
    assert detail("full", "base") == "no spare place at its 1 approved base(s)"


def test_the_district_table_matches_the_taxonomy(ctx):
    from cbec_alliance.taxonomy import services as taxonomy
    from cbec_alliance.taxonomy.districts import ADJACENT

    assert set(ADJACENT) == set(taxonomy.codes("districts"))


def test_kept_rankings_are_reused_for_a_while_but_partnerships_are_current(
    alliance, app, monkeypatch
):
    from cbec_alliance.insights import partners as recommend

    monkeypatch.setitem(app.config, "PARTNER_MATCH_MAX_AGE", 60.0)
    recommend.forget()
    url = URL.format(alliance["strong"].id) + "?mode=internship-employment"
    before = alliance["s"].get(url).get_json()
    ours = next(i for i in before["items"] if i["organization"]["id"] == alliance["ent"].id)
    assert ours["partnership"] is None
    # New demand the university's students meet: kept scores do not move yet...
    InternshipFactory(enterprise_id=alliance["ent"].id, slots=5, competencies={"english": 2})
    p = alliance["s"].post(
        "/api/v1/partnerships",
        json={
            "enterprise_id": alliance["ent"].id,
            "university_id": alliance["strong"].id,
            "modes": ["internship-employment"],
            "starts_on": "2026-09-01",
        },
    )
    assert p.status_code == 201, p.get_json()
    kept = alliance["s"].get(url).get_json()
    mine = next(i for i in kept["items"] if i["organization"]["id"] == alliance["ent"].id)
    assert (mine["score"], mine["reasons"]) == (ours["score"], ours["reasons"])
    # ...but the partnership just proposed is marked at once.
    assert mine["partnership"] == {"id": p.get_json()["id"], "status": "proposed"}
    recommend.forget()
    fresh = alliance["s"].get(url).get_json()
    moved = next(i for i in fresh["items"] if i["organization"]["id"] == alliance["ent"].id)
    assert moved["reasons"] != ours["reasons"] or moved["score"] != ours["score"]


def _top(client, org_id: int, mode: str) -> dict:
    body = client.get(URL.format(org_id), query_string={"mode": mode}).get_json()
    return body["items"][0]


def _reasons(item: dict) -> dict[str, str]:
    return {r["factor"]: r["detail"] for r in item["reasons"]}


def test_lectures_and_joint_teaching_go_where_they_are_needed_and_taught(alliance):
    """The enterprise held a lecture and has an enterprise teacher of English: the weak
    university lacks what it demands (lectures), the strong one teaches its field."""
    from cbec_alliance.teaching.models import EnterpriseTeacher, EnterpriseTeacherField

    pf.LectureFactory(host_organization_id=alliance["ent"].id)
    teacher = factories.member(alliance["ent"], "staff")
    db.session.add(
        EnterpriseTeacher(
            user_id=teacher.id,
            enterprise_id=alliance["ent"].id,
            title="跨境电商运营总监",
            years_of_practice=8,
            field_rows=[EnterpriseTeacherField(code="english")],
        )
    )
    db.session.flush()
    lectures = _top(alliance["e"], alliance["ent"].id, "lectures")
    # strong (tianhe, same district) covers the demand; weak (huadu, not adjacent) lacks it.
    assert lectures["organization"]["id"] == alliance["weak"].id
    assert _reasons(lectures) == {
        "topics": "its demand that the students fall short of: ['data-analysis', 'english']",
        "place": "enterprise in tianhe, university in huadu: not adjacent",
        "record": "1 event in the last year",
    }
    assert lectures["score"] == round(0.5 + 0.2 / 4, 4)
    teaching = _top(alliance["e"], alliance["ent"].id, "joint-teaching")
    assert teaching["organization"]["id"] == alliance["strong"].id
    assert _reasons(teaching) == {
        "fields": "its teachers' fields taught there: ['english']",
        "teachers": "1 enterprise teacher",
        "place": "enterprise in tianhe, university in tianhe: same district",
    }
    assert teaching["score"] == round(0.5 + 0.3 / 3 + 0.2, 4)


def test_programme_kinds_answer_in_either_spelling(alliance):
    """An order class follows the full-time jobs; `order_class` reads as `order-class`."""
    alliance["ent"].employee_count = 400
    InternshipFactory(
        enterprise_id=alliance["ent"].id, kind="full_time", slots=5, majors=["e-commerce"]
    )
    db.session.flush()
    for mode in ("order-class", "order_class"):
        body = alliance["s"].get(URL.format(alliance["strong"].id), query_string={"mode": mode})
        top = body.get_json()["items"][0]
        assert top["organization"]["id"] == alliance["ent"].id
        assert _reasons(top)["hiring"] == "5 open full-time places"
    for mode in ("apprenticeship", "industry-college", "industry_college"):
        top = _top(alliance["s"], alliance["strong"].id, mode)
        assert top["organization"]["id"] == alliance["ent"].id
    assert _reasons(_top(alliance["s"], alliance["strong"].id, "apprenticeship"))["room"] == (
        "40 apprentices at once (10% of employees)"
    )
    assert _reasons(_top(alliance["e"], alliance["ent"].id, "industry-college"))["scale"] == (
        "400 employees"
    )
