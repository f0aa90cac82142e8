"""Partner matching from arrays (issue 17): the same signals and the same rankings as the
per-enterprise path (`partners.enterprise_signals` with `fit`), on a generated population."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.insights import partner_arrays, partners
from cbec_alliance.partnerships import fit
from cbec_alliance.partnerships.models import Partnership, PartnershipMode
from cbec_alliance.surveys.models import Survey, SurveyAnswer, SurveyResponse
from cbec_alliance.teaching.models import EnterpriseTeacher, EnterpriseTeacherField
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.partnerships import factories as pf
from tests.students.factories import student

URL = "/api/v1/organizations/{}/recommended-partners"
CODES = ["english", "data-analysis", "marketing", "ai-tools", "platform-operation"]
MAJORS = ["e-commerce", "marketing", "logistics-management"]
DISTRICTS = ["tianhe", "panyu", "haizhu", "huadu"]


def _survey(rng: random.Random, enterprises: list) -> None:
    """A closed talent-demand survey most enterprises answered."""
    survey = Survey(title="2026 人才需求调查", year=2026, distributed=40, status="closed")
    db.session.add(survey)
    db.session.flush()
    for enterprise in rng.sample(enterprises, len(enterprises) * 2 // 3):
        response = SurveyResponse(survey_id=survey.id, enterprise_id=enterprise.id, answers={})
        db.session.add(response)
        db.session.flush()
        chosen = [("competencies", c) for c in rng.sample(CODES, rng.randint(0, 3))]
        chosen += [("majors", m) for m in rng.sample(MAJORS, rng.randint(0, 2))]
        db.session.add_all(
            SurveyAnswer(
                response_id=response.id, survey_id=survey.id, question_code=q, option_code=o
            )
            for q, o in chosen
        )
    db.session.flush()


def _postings_and_bases(rng: random.Random, enterprise, universities: list) -> None:
    for _ in range(rng.randint(0, 3)):
        slots = rng.randint(1, 4)
        InternshipFactory(
            enterprise_id=enterprise.id,
            slots=slots,
            accepted_count=rng.randint(0, slots),
            status=rng.choice(["open", "open", "open", "closed"]),
            competencies={c: rng.randint(1, 5) for c in rng.sample(CODES, rng.randint(0, 3))},
            majors=rng.sample(MAJORS, rng.randint(0, 2)),
        )
    for _ in range(rng.choice([0, 0, 1, 2])):
        base = pf.TrainingBaseFactory(
            host_enterprise_id=enterprise.id,
            district=rng.choice(DISTRICTS),
            capacity=rng.randint(1, 40),
            competencies=rng.sample(CODES, rng.randint(0, 3)),
            universities=rng.sample(universities, rng.randint(0, 2)),
            status=rng.choice(["approved", "approved", "pending"]),
        )
        for _ in range(rng.randint(0, 3)):
            pf.base_session(base, rng.choice(universities), rng.randint(1, 40), rng.randint(1, 500))


MODES = ["internship-employment", "lectures", "joint-teaching", "joint-competitions"]


def _later_signals(rng: random.Random, enterprise, universities: list) -> None:
    """Lectures (some too old or cancelled), enterprise teachers, full-time jobs, an
    employee count and partnerships in some modes: the later modes' signals."""
    enterprise.employee_count = rng.choice([None, 8, 60, 240, 1500])
    for _ in range(rng.randint(0, 3)):
        pf.LectureFactory(
            host_organization_id=enterprise.id,
            starts_at=utcnow() - dt.timedelta(days=rng.choice([3, 100, 400, -5])),
            status=rng.choice(["scheduled", "scheduled", "cancelled"]),
        )
    for _ in range(rng.randint(0, 2)):
        user = factories.member(enterprise, "staff")
        fields = rng.sample(CODES, rng.randint(0, 2))
        db.session.add(
            EnterpriseTeacher(
                user_id=user.id,
                enterprise_id=enterprise.id,
                title="运营总监",
                years_of_practice=5,
                field_rows=[EnterpriseTeacherField(code=c) for c in fields],
            )
        )
    for _ in range(rng.randint(0, 2)):
        slots = rng.randint(1, 6)
        InternshipFactory(
            enterprise_id=enterprise.id,
            kind="full_time",
            slots=slots,
            accepted_count=rng.randint(0, slots),
            status=rng.choice(["open", "open", "closed"]),
            majors=rng.sample(MAJORS, rng.randint(0, 2)),
        )
    for university in rng.sample(universities, rng.randint(0, 2)):
        db.session.add(
            Partnership(
                enterprise_id=enterprise.id,
                university_id=university.id,
                starts_on=dt.date.today(),
                goals={},
                status=rng.choice(["active", "active", "proposed", "ended"]),
                modes=[PartnershipMode(mode=m) for m in rng.sample(MODES, rng.randint(1, 3))],
                proposed_by_org_id=enterprise.id,
            )
        )
    db.session.flush()


@pytest.fixture
def population(ctx):
    """Enterprises (some not approved) with postings, survey answers and bases, and
    universities with students."""
    rng = random.Random(20261205)
    universities = [factories.UniversityFactory(district=d) for d in DISTRICTS[:3]]
    for university in universities:
        for _ in range(6):
            levels = {c: rng.randint(1, 5) for c in rng.sample(CODES, rng.randint(0, 3))}
            student(university, competencies=levels)
    enterprises = [
        factories.OrganizationFactory(
            district=rng.choice(DISTRICTS), status=rng.choice(["approved"] * 5 + ["pending"])
        )
        for _ in range(36)
    ]
    for enterprise in enterprises:
        _postings_and_bases(rng, enterprise, universities)
        _later_signals(rng, enterprise, universities)
    _survey(rng, enterprises)
    return universities


def test_the_arrays_hold_every_enterprises_signals(population):
    old = partners.enterprise_signals(None)
    arrays = partner_arrays.enterprises(partners._hosted_bases(None))
    assert [int(i) for i in arrays.ids] == sorted(old)
    for signal in ("lectures", "teacher_fields", "jobs", "modes", "employees"):
        assert any(getattr(s, signal) for s in old.values()), signal
    for row, enterprise_id in enumerate(arrays.ids):
        assert arrays.signals(row) == old[int(enterprise_id)]


@pytest.mark.parametrize("mode", list(fit.SCORERS))
def test_every_university_gets_the_ranking_of_the_per_enterprise_path(population, coord, mode):
    everyone = partners.enterprise_signals(None)
    for university in population:
        me = partners.university_signals([university.id])[university.id]
        scored = [(e, fit.SCORERS[mode](s, me)) for e, s in everyone.items()]
        scored.sort(key=lambda item: (-item[1].score, item[0]))
        expected = [(e, found.score, found.reasons) for e, found in scored]
        got = []
        for page in (1, 2, 3):
            query = {"mode": mode, "page": page, "per_page": 13}
            body = coord.get(URL.format(university.id), query_string=query).get_json()
            assert body["total"] == len(expected)
            got += [(i["organization"]["id"], i["score"], i["reasons"]) for i in body["items"]]
        assert got == expected[:39]
