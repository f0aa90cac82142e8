"""Partner matching from the database: signals for every approved organization of a kind,
scored with `fit`, best first; live partnerships are marked, not hidden."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.accounts.models import User
from cbec_alliance.competitions.models import CompetitionTrack, Team, TeamMember
from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.errors import invalid, not_found
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency, InternshipMajor
from cbec_alliance.organizations.models import Organization, OrganizationMajor
from cbec_alliance.organizations.services import membership
from cbec_alliance.partnerships import fit
from cbec_alliance.partnerships.models import LIVE, Partnership
from cbec_alliance.students.models import HOLDS_FROM, StudentCompetency, StudentProfile
from cbec_alliance.surveys.models import SurveyAnswer, SurveyResponse
from cbec_alliance.training_bases.models import (
    BaseCompetency,
    BaseSession,
    BaseUniversity,
    TrainingBase,
)

from .summaries import latest_survey

Orgs = dict[int, sa.Row]


def _survey(survey_id: int | None, question: str, enterprise_ids) -> list[tuple[int, str]]:
    """The options enterprises chose for `question` in one survey (monitoring's rule: the
    latest survey with responses)."""
    if survey_id is None:
        return []
    r, a = SurveyResponse, SurveyAnswer
    stmt = (
        sa.select(r.enterprise_id, a.option_code)
        .join(a, a.response_id == r.id)
        .where(a.survey_id == survey_id, a.question_code == question)
    )
    if enterprise_ids is not None:
        stmt = stmt.where(r.enterprise_id.in_(enterprise_ids))
    return db.session.execute(stmt).all()


def _orgs(kind: str, ids: list[int] | None) -> Orgs:
    """Approved organizations of a kind as rows (id, kind, name, district): not ORM objects,
    whose eager-loaded majors made loading 20,000 enterprises take over a second."""
    o = Organization
    stmt = sa.select(o.id, o.kind, o.name, o.district).where(o.kind == kind, o.status == "approved")
    if ids is not None:
        stmt = stmt.where(o.id.in_(ids))
    return {row.id: row for row in db.session.execute(stmt)}


def _in_use(base_ids: list[int]) -> dict[int, float]:
    """Per base, the mean students on a day of use over the last 365 days (all its
    universities' sessions of that day together); bases without a session are absent."""
    if not base_ids:
        return {}
    today = dt.date.today()
    s = BaseSession
    daily = (
        sa.select(s.base_id, sa.func.sum(s.students).label("students"))
        .where(
            s.base_id.in_(base_ids),
            s.date > today - dt.timedelta(days=365),
            s.date <= today,
        )
        .group_by(s.base_id, s.date)
        .subquery()
    )
    stmt = sa.select(daily.c.base_id, sa.func.avg(daily.c.students)).group_by(daily.c.base_id)
    return {base_id: float(mean) for base_id, mean in db.session.execute(stmt)}


def enterprise_signals(
    ids: list[int] | None, orgs: Orgs | None = None
) -> dict[int, fit.EnterpriseSignals]:
    """Signals of the given enterprises (None: every approved enterprise), by id; `orgs`:
    `_orgs("enterprise", ids)` when the caller has it already."""
    orgs = _orgs("enterprise", ids) if orgs is None else orgs
    wanted = list(orgs) if ids is not None else None
    demand: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    majors: dict[int, set[str]] = defaultdict(set)
    i, ic, im = Internship, InternshipCompetency, InternshipMajor
    # Open postings with a free slot (a full one can still be open).
    open_ = [i.status == "open", i.slots > i.accepted_count]
    if wanted is not None:
        open_.append(i.enterprise_id.in_(wanted))
    for e, code, slots in db.session.execute(
        sa.select(i.enterprise_id, ic.code, sa.func.sum(i.slots - i.accepted_count))
        .join(ic, ic.internship_id == i.id)
        .where(*open_)
        .group_by(i.enterprise_id, ic.code)
    ):
        demand[e][code] += int(slots or 0)
    for e, code in db.session.execute(
        sa.select(i.enterprise_id, im.code).join(im, im.internship_id == i.id).where(*open_)
    ):
        majors[e].add(code)
    survey = latest_survey()
    for e, code in _survey(survey, "competencies", wanted):
        demand[e][code] += 1
    for e, code in _survey(survey, "majors", wanted):
        majors[e].add(code)
    bases: dict[int, list] = defaultdict(list)
    b = TrainingBase
    base_stmt = (
        sa.select(b.id, b.host_enterprise_id, b.district, b.capacity)
        .where(b.status == "approved")
        .order_by(b.id)
    )
    if wanted is not None:
        base_stmt = base_stmt.where(b.host_enterprise_id.in_(wanted))
    base_rows = db.session.execute(base_stmt).all()
    base_ids = [r[0] for r in base_rows]
    comps: dict[int, set[str]] = defaultdict(set)
    for base_id, code in db.session.execute(
        sa.select(BaseCompetency.base_id, BaseCompetency.code).where(
            BaseCompetency.base_id.in_(base_ids)
        )
    ):
        comps[base_id].add(code)
    in_use = _in_use(base_ids)
    for base_id, e, district, capacity in base_rows:
        bases[e].append(
            fit.Base(district, frozenset(comps[base_id]), capacity, in_use.get(base_id, 0.0))
        )
    return {
        e: fit.EnterpriseSignals(
            district=org.district,
            majors=frozenset(majors[e]),
            demand=dict(demand[e]),
            bases=tuple(bases[e]),
        )
        for e, org in orgs.items()
    }


def university_signals(
    ids: list[int] | None, orgs: Orgs | None = None
) -> dict[int, fit.UniversitySignals]:
    """Signals of the given universities (None: every approved university), by id; `orgs`:
    `_orgs("university", ids)` when the caller has it already."""
    orgs = _orgs("university", ids) if orgs is None else orgs
    wanted = list(orgs) if ids is not None else None

    def only(column) -> list:
        return [] if wanted is None else [column.in_(wanted)]

    def grouped(stmt) -> dict[int, set]:
        out: dict[int, set] = defaultdict(set)
        for u, code in db.session.execute(stmt):
            out[u].add(code)
        return out

    om = OrganizationMajor
    majors = grouped(sa.select(om.organization_id, om.code).where(*only(om.organization_id)))
    graduates = dict(
        db.session.execute(
            sa.select(om.organization_id, sa.func.sum(om.yearly_graduates))
            .where(*only(om.organization_id))
            .group_by(om.organization_id)
        ).all()
    )
    supply: dict[int, dict[str, int]] = defaultdict(dict)
    sp, sc = StudentProfile, StudentCompetency
    for u, code, n in db.session.execute(
        sa.select(sp.university_id, sc.code, sa.func.count())
        .join(sc, sc.user_id == sp.user_id)
        .where(sc.level >= HOLDS_FROM, *only(sp.university_id))
        .group_by(sp.university_id, sc.code)
    ):
        supply[u][code] = int(n)
    taught = grouped(
        sa.select(Course.university_id, CourseCompetency.code)
        .join(CourseCompetency, CourseCompetency.course_id == Course.id)
        .where(Course.status == "published", *only(Course.university_id))
    )
    based = grouped(
        sa.select(BaseUniversity.university_id, BaseCompetency.code)
        .join(TrainingBase, TrainingBase.id == BaseUniversity.base_id)
        .join(BaseCompetency, BaseCompetency.base_id == TrainingBase.id)
        .where(TrainingBase.status == "approved", *only(BaseUniversity.university_id))
    )
    tracks: dict[int, set] = defaultdict(set)
    for u, codes in db.session.execute(
        sa.select(TeamMember.university_id, CompetitionTrack.competencies)
        .join(Team, Team.id == TeamMember.team_id)
        .join(
            CompetitionTrack,
            (CompetitionTrack.competition_id == Team.competition_id)
            & (CompetitionTrack.name == Team.track),
        )
        .where(*only(TeamMember.university_id))
    ):
        tracks[u].update(codes or [])
    return {
        u: fit.UniversitySignals(
            district=org.district,
            majors=frozenset(majors[u]),
            graduates=int(graduates.get(u) or 0),
            supply=supply[u],
            taught=frozenset(taught[u]),
            base_competencies=frozenset(based[u]),
            track_competencies=frozenset(tracks[u]),
        )
        for u, org in orgs.items()
    }


def _live(enterprise_ids, university_ids) -> dict[tuple[int, int], dict]:
    stmt = sa.select(
        Partnership.id, Partnership.enterprise_id, Partnership.university_id, Partnership.status
    ).where(Partnership.status.in_(LIVE))
    if enterprise_ids is not None:
        stmt = stmt.where(Partnership.enterprise_id.in_(enterprise_ids))
    if university_ids is not None:
        stmt = stmt.where(Partnership.university_id.in_(university_ids))
    return {(e, u): {"id": i, "status": s} for i, e, u, s in db.session.execute(stmt)}


def _ref(org) -> dict:
    return {"id": org.id, "kind": org.kind, "name": org.name, "district": org.district}


# Rankings and the signals of every organization of a kind, per process: scoring 20,000
# enterprises for a university takes over a second, and paging through the answer would
# score them all again for every page. Entries live PARTNER_MATCH_MAX_AGE seconds.
_kept = ProcessCache("partner matching", maxsize=256)


def _keep(key: tuple, make):
    return _kept.get_or_make(key, make, max_age=current_app.config["PARTNER_MATCH_MAX_AGE"])


def forget() -> None:
    """Drop every kept ranking and signal (benchmarks time the cold path with it)."""
    _kept.clear()


def _everyone(kind: str) -> tuple[Orgs, dict]:
    """Every approved organization of `kind` and its signals."""
    names = _orgs(kind, None)
    signals = university_signals if kind == "university" else enterprise_signals
    return names, signals(None, names)


def _ranking(org_id: int, kind: str, mode: str) -> tuple[Orgs, list]:
    """The other kind's organizations scored for `org_id` in `mode`, best first."""
    score = fit.SCORERS[mode]
    if kind == "enterprise":
        me = enterprise_signals([org_id]).get(org_id) or fit.EnterpriseSignals()
        names, others = _keep(("signals", "university"), lambda: _everyone("university"))
        scored = [(u, score(me, s)) for u, s in others.items()]
    else:
        me = university_signals([org_id]).get(org_id) or fit.UniversitySignals()
        names, others = _keep(("signals", "enterprise"), lambda: _everyone("enterprise"))
        scored = [(e, score(s, me)) for e, s in others.items()]
    scored.sort(key=lambda item: (-item[1].score, item[0]))
    return names, scored


def recommended(org_id: int, user: User, mode: str, page: int, per_page: int) -> dict:
    """The other kind's organizations best first for `org_id` in `mode` (its members and
    coordinators); scores may be up to PARTNER_MATCH_MAX_AGE seconds old, the partnerships
    marked are current."""
    org = db.session.get(Organization, org_id)
    if org is None or (membership(user, org_id) is None and not user.is_coordinator):
        not_found("organization")
    if org.kind not in ("enterprise", "university"):
        invalid("id", "partner matching is for enterprises and universities")
    names, scored = _keep(("ranking", org.id, mode), lambda: _ranking(org.id, org.kind, mode))
    if org.kind == "enterprise":
        live = _live([org.id], None)
        key = lambda other: (org.id, other)  # noqa: E731
    else:
        live = _live(None, [org.id])
        key = lambda other: (other, org.id)  # noqa: E731
    rows = scored[(page - 1) * per_page : page * per_page]
    items = [
        {
            "organization": _ref(names[other]),
            "score": result.score,
            "reasons": result.reasons,
            "partnership": live.get(key(other)),
        }
        for other, result in rows
    ]
    return {"items": items, "total": len(scored), "page": page, "per_page": per_page}


def pair(enterprise_id: int, university_id: int) -> dict:
    """The fit of one enterprise and one university in every mode (the view lets only
    coordinators ask)."""
    enterprise = _orgs("enterprise", [enterprise_id])
    if enterprise_id not in enterprise:
        invalid("enterprise_id", f"no approved enterprise with id {enterprise_id}")
    university = _orgs("university", [university_id])
    if university_id not in university:
        invalid("university_id", f"no approved university with id {university_id}")
    e = enterprise_signals([enterprise_id], enterprise)[enterprise_id]
    u = university_signals([university_id], university)[university_id]
    return {
        "enterprise": _ref(enterprise[enterprise_id]),
        "university": _ref(university[university_id]),
        "partnership": _live([enterprise_id], [university_id]).get((enterprise_id, university_id)),
        "modes": [
            {"mode": mode, "score": f.score, "reasons": f.reasons}
            for mode, f in ((m, s(e, u)) for m, s in fit.SCORERS.items())
        ],
    }
