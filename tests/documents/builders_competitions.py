"""The access case of `competition_entry` (a team's submission, before publication)."""

from __future__ import annotations

from tests import factories
from tests.competitions.factories import CompetitionFactory, judge, team
from tests.documents.matrix import Case, builder, client_of, upload
from tests.students.factories import student


@builder("competition_entry")
def competition_entry() -> Case:
    """A team's entry (a zip is fine): the team, the judges, the organizers and coordinators
    read it; a rival team, other students and other organizations do not (and, the results
    unpublished, neither does the public)."""
    organizer = factories.OrganizationFactory()
    competition = CompetitionFactory(judging=True, organizer=organizer)
    university = factories.UniversityFactory()
    a, b = student(university), student(university)
    crew = team(competition, [(a, university), (b, university)], name="广外跨境先锋队")
    rival_uni = factories.UniversityFactory()
    rival = student(rival_uni)
    team(competition, [(rival, rival_uni)], name="对手队")
    referee = judge(competition, factories.UserFactory())
    document = upload(a, name="参赛作品.pdf")
    resp = client_of(a).post(
        f"/api/v1/competitions/{competition.id}/submissions",
        json={"team_id": crew.id, "document_id": document.id, "allow_public": True},
    )
    assert resp.status_code == 201, resp.get_json()
    return Case(
        kind="competition_entry",
        target_id=resp.get_json()["id"],
        document_id=document.id,
        allowed={
            "uploader": a,
            "teammate": b,
            "judge": referee,
            "organizer's staff": factories.member(organizer, "staff"),
            "coordinator": factories.CoordinatorFactory(),
        },
        others={
            "rival team member": rival,
            "stranger student": student(),
            "student of the same university": student(university),
            "another enterprise's staff": factories.member(factories.OrganizationFactory()),
            "another university's staff": factories.member(factories.UniversityFactory()),
        },
    )
