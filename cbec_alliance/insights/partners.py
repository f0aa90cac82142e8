"""Partner matching from the database: signals for every approved organization of a kind,
scored with `fit`, best first; live partnerships are marked, not hidden."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext

from cbec_alliance.accounts.models import User
from cbec_alliance.competitions.models import CompetitionTrack, Team, TeamMember
from cbec_alliance.core.cache import ProcessCache
from cbec_alliance.core.errors import invalid, not_found
from cbec_alliance.core.links import envelope
from cbec_alliance.courses.models import Course, CourseCompetency
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship, InternshipCompetency, InternshipMajor
from cbec_alliance.organizations.models import Organization
from cbec_alliance.organizations.services import membership
from cbec_alliance.partnerships import fit, fit_arrays
from cbec_alliance.partnerships.models import LIVE, Partnership
from cbec_alliance.recommendations import talent
from cbec_alliance.students.models import HOLDS_FROM
from cbec_alliance.surveys.models import SurveyAnswer, SurveyResponse
from cbec_alliance.training_bases.models import (
    BaseCompetency,
    BaseSession,
    BaseUniversity,
    TrainingBase,
)

from . import partner_arrays
from .partner_signals import enterprise_later, major_graduates
from .skills_gap import latest_survey

Orgs = dict[int, sa.Row]


def _survey(survey_id: int | None, question: str, enterprise_ids) -> Sequence[sa.Row[int, str]]:
    """The options enterprises chose for `question` in one survey (monitoring's rule: the
    latest survey with responses)."""
    if survey_id is None:
        return []
    stmt = (
        sa.select(SurveyResponse.enterprise_id, SurveyAnswer.option_code)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyAnswer.survey_id == survey_id, SurveyAnswer.question_code == question)
    )
    if enterprise_ids is not None:
        stmt = stmt.where(SurveyResponse.enterprise_id.in_(enterprise_ids))
    return db.session.execute(stmt).all()


def _orgs(kind: str, ids: list[int] | None) -> Orgs:
    """Approved organizations of a kind as rows (id, kind, name, district): not ORM objects,
    whose eager-loaded majors made loading 20,000 enterprises take over a second."""
    stmt = sa.select(
        Organization.id, Organization.kind, Organization.name, Organization.district
    ).where(Organization.kind == kind, Organization.status == "approved")
    if ids is not None:
        stmt = stmt.where(Organization.id.in_(ids))
    return {row.id: row for row in db.session.execute(stmt)}


def _in_use(base_ids: list[int]) -> dict[int, float]:
    """Per base, the mean students on a day of use over the last 365 days (all its
    universities' sessions of that day together); bases without a session are absent."""
    if not base_ids:
        return {}
    today = dt.date.today()
    daily = (
        sa.select(BaseSession.base_id, sa.func.sum(BaseSession.students).label("students"))
        .where(
            BaseSession.base_id.in_(base_ids),
            BaseSession.date > today - dt.timedelta(days=365),
            BaseSession.date <= today,
        )
        .group_by(BaseSession.base_id, BaseSession.date)
        .subquery()
    )
    stmt = sa.select(daily.c.base_id, sa.func.avg(daily.c.students)).group_by(daily.c.base_id)
    return {base_id: float(mean) for base_id, mean in db.session.execute(stmt)}


def _only(column, wanted: list[int] | None) -> list:
    """The condition that `column` is one of `wanted`, or none when every one is wanted."""
    return [] if wanted is None else [column.in_(wanted)]


def _grouped(stmt) -> dict[int, set]:
    """{organization id: {code, ...}} from rows of (organization id, code)."""
    out: dict[int, set] = defaultdict(set)
    for org_id, code in db.session.execute(stmt):
        out[org_id].add(code)
    return out


# --- enterprises -------------------------------------------------------------------------


def _posting_demand(wanted: list[int] | None) -> tuple[dict, dict]:
    """Per enterprise, the free slots of its open postings per competency, and the majors
    those postings ask for."""
    demand: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Open postings with a free slot (a full one can still be open).
    open_ = [Internship.status == "open", Internship.slots > Internship.accepted_count]
    open_ += _only(Internship.enterprise_id, wanted)
    for enterprise_id, code, slots in db.session.execute(
        sa.select(
            Internship.enterprise_id,
            InternshipCompetency.code,
            sa.func.sum(Internship.slots - Internship.accepted_count),
        )
        .join(InternshipCompetency, InternshipCompetency.internship_id == Internship.id)
        .where(*open_)
        .group_by(Internship.enterprise_id, InternshipCompetency.code)
    ):
        demand[enterprise_id][code] += int(slots or 0)
    majors = _grouped(
        sa.select(Internship.enterprise_id, InternshipMajor.code)
        .join(InternshipMajor, InternshipMajor.internship_id == Internship.id)
        .where(*open_)
    )
    return demand, majors


def _hosted_bases(wanted: list[int] | None) -> dict[int, list[fit.Base]]:
    """Per enterprise, the approved training bases it hosts, with their competencies and use."""
    stmt = (
        sa.select(
            TrainingBase.id,
            TrainingBase.host_enterprise_id,
            TrainingBase.district,
            TrainingBase.capacity,
        )
        .where(TrainingBase.status == "approved", *_only(TrainingBase.host_enterprise_id, wanted))
        .order_by(TrainingBase.id)
    )
    rows = db.session.execute(stmt).all()
    base_ids = [row[0] for row in rows]
    competencies = _grouped(
        sa.select(BaseCompetency.base_id, BaseCompetency.code).where(
            BaseCompetency.base_id.in_(base_ids)
        )
    )
    in_use = _in_use(base_ids)
    bases: dict[int, list[fit.Base]] = defaultdict(list)
    for base_id, enterprise_id, district, capacity in rows:
        bases[enterprise_id].append(
            fit.Base(district, frozenset(competencies[base_id]), capacity, in_use.get(base_id, 0.0))
        )
    return bases


def enterprise_signals(
    ids: list[int] | None, orgs: Orgs | None = None
) -> dict[int, fit.EnterpriseSignals]:
    """Signals of the given enterprises (None: every approved enterprise), by id; `orgs`:
    `_orgs("enterprise", ids)` when the caller has it already."""
    orgs = _orgs("enterprise", ids) if orgs is None else orgs
    wanted = list(orgs) if ids is not None else None
    demand, majors = _posting_demand(wanted)
    survey = latest_survey()
    for enterprise_id, code in _survey(survey, "competencies", wanted):
        demand[enterprise_id][code] += 1
    for enterprise_id, code in _survey(survey, "majors", wanted):
        majors[enterprise_id].add(code)
    bases = _hosted_bases(wanted)
    later = enterprise_later(wanted)
    return {
        enterprise_id: fit.EnterpriseSignals(
            district=org.district,
            majors=frozenset(majors[enterprise_id]),
            demand=dict(demand[enterprise_id]),
            bases=tuple(bases[enterprise_id]),
            lectures=later.lectures.get(enterprise_id, 0),
            teachers=later.teachers.get(enterprise_id, 0),
            teacher_fields=frozenset(later.fields.get(enterprise_id, ())),
            jobs=later.jobs.get(enterprise_id, 0),
            employees=later.employees.get(enterprise_id),
            modes=later.modes.get(enterprise_id, 0),
        )
        for enterprise_id, org in orgs.items()
    }


# --- universities ------------------------------------------------------------------------


def _student_supply(wanted: list[int] | None) -> dict[int, dict[str, int]]:
    """Per university, its students holding each competency (level HOLDS_FROM or more).

    Counted in the process's student index (`recommendations.talent`, versioned by the
    newest saved profile), not in SQL: for one university PostgreSQL scanned all 600,000
    competency rows (56 ms quiet); the index's columns answer in well under a millisecond.
    """
    index, _universities = talent.current()
    supply: dict[int, dict[str, int]] = defaultdict(dict)
    if len(index) == 0:
        return supply
    columns = np.arange(len(index.university_ids))
    if wanted is not None:
        columns = np.flatnonzero(np.isin(index.university_ids, np.asarray(wanted)))
    held = index.comp_levels >= HOLDS_FROM  # (codes, students)
    n = len(index.university_ids)
    if len(columns) <= 16:  # a few universities: their own students' columns
        counts = np.zeros((len(held), n), dtype=np.int64)
        for column in columns:
            counts[:, column] = held[:, index.university == column].sum(axis=1)
    else:  # every university: each code's holders counted per university in one pass
        counts = np.stack([np.bincount(index.university[row], minlength=n) for row in held])
    for column in columns:
        university_id = int(index.university_ids[column])
        for row in np.flatnonzero(counts[:, column]):
            supply[university_id][index.comp_codes[row]] = int(counts[row, column])
    return supply


def _track_competencies(wanted: list[int] | None) -> dict[int, set]:
    """Per university, the competencies of the competition tracks its students entered."""
    tracks: dict[int, set] = defaultdict(set)
    for university_id, codes in db.session.execute(
        sa.select(TeamMember.university_id, CompetitionTrack.competencies)
        .join(Team, Team.id == TeamMember.team_id)
        .join(
            CompetitionTrack,
            (CompetitionTrack.competition_id == Team.competition_id)
            & (CompetitionTrack.name == Team.track),
        )
        .where(*_only(TeamMember.university_id, wanted))
    ):
        tracks[university_id].update(codes or [])
    return tracks


def university_signals(
    ids: list[int] | None, orgs: Orgs | None = None
) -> dict[int, fit.UniversitySignals]:
    """Signals of the given universities (None: every approved university), by id; `orgs`:
    `_orgs("university", ids)` when the caller has it already."""
    orgs = _orgs("university", ids) if orgs is None else orgs
    wanted = list(orgs) if ids is not None else None
    graduates = major_graduates(wanted)
    supply = _student_supply(wanted)
    taught = _grouped(
        sa.select(Course.university_id, CourseCompetency.code)
        .join(CourseCompetency, CourseCompetency.course_id == Course.id)
        .where(Course.status == "published", *_only(Course.university_id, wanted))
    )
    based = _grouped(
        sa.select(BaseUniversity.university_id, BaseCompetency.code)
        .join(TrainingBase, TrainingBase.id == BaseUniversity.base_id)
        .join(BaseCompetency, BaseCompetency.base_id == TrainingBase.id)
        .where(TrainingBase.status == "approved", *_only(BaseUniversity.university_id, wanted))
    )
    tracks = _track_competencies(wanted)
    return {
        university_id: fit.UniversitySignals(
            district=org.district,
            majors=frozenset(graduates[university_id]),
            graduates=sum(graduates[university_id].values()),
            major_graduates=graduates[university_id],
            supply=supply[university_id],
            taught=frozenset(taught[university_id]),
            base_competencies=frozenset(based[university_id]),
            track_competencies=frozenset(tracks[university_id]),
        )
        for university_id, org in orgs.items()
    }


def _live(enterprise_ids, university_ids) -> dict[tuple[int, int], dict]:
    stmt = sa.select(
        Partnership.id, Partnership.enterprise_id, Partnership.university_id, Partnership.status
    ).where(Partnership.status.in_(LIVE))
    if enterprise_ids is not None:
        stmt = stmt.where(Partnership.enterprise_id.in_(enterprise_ids))
    if university_ids is not None:
        stmt = stmt.where(Partnership.university_id.in_(university_ids))
    return {
        (enterprise_id, university_id): {"id": partnership_id, "status": status}
        for partnership_id, enterprise_id, university_id, status in db.session.execute(stmt)
    }


def _ref(org) -> dict:
    return {"id": org.id, "kind": org.kind, "name": org.name, "district": org.district}


# Rankings and the signals of every organization of a kind, per process: scoring 20,000
# enterprises for a university takes over a second, and paging through the answer would
# score them all again for every page. Entries live PARTNER_MATCH_MAX_AGE seconds.
_kept = ProcessCache("partner matching", maxsize=256)


def _keep(key: tuple, make):
    return _kept.get_or_make(key, make, max_age=current_app.config["PARTNER_MATCH_MAX_AGE"])


def _build_arrays() -> partner_arrays.Enterprises:
    return partner_arrays.enterprises(_hosted_bases(None))


_arrays = partner_arrays.KeptArrays(_build_arrays)


def forget_rankings() -> None:
    """Drop every kept ranking and the universities' signals, keeping the enterprise arrays
    (benchmarks time "scored afresh" with it: what a request does once arrays exist)."""
    _kept.clear()


def forget() -> None:
    """Drop every kept ranking, signal and array (the first request of a process)."""
    _kept.clear()
    _arrays.clear()


def _everyone(kind: str) -> tuple[Orgs, dict]:
    """Every approved organization of `kind` and its signals."""
    names = _orgs(kind, None)
    signals = university_signals if kind == "university" else enterprise_signals
    return names, signals(None, names)


def _universities_for(me: fit.EnterpriseSignals, mode: str) -> partner_arrays.Ranking:
    """Every approved university scored for an enterprise (a few hundred: `fit` itself)."""
    score = fit.SCORERS[mode]
    _names, others = _keep(("signals", "university"), lambda: _everyone("university"))
    scored = {u: score(me, s) for u, s in others.items()}
    order = sorted(scored, key=lambda u: (-scored[u].score, u))
    return partner_arrays.Ranking(order, lambda ids: [scored[u] for u in ids])


def _enterprises_for(me: fit.UniversitySignals, mode: str) -> partner_arrays.Ranking:
    """Every approved enterprise scored for a university: all at once with arrays
    (`fit_arrays`), and `fit` itself for the reasons of the page asked for."""
    arrays = _arrays.get()
    scores = fit_arrays.rounded(fit_arrays.SCORERS[mode](arrays, me))
    order = arrays.ids[np.lexsort((arrays.ids, -scores))]
    score = fit.SCORERS[mode]
    # Only the page's ids become Python objects; their rows are found in the sorted ids.
    return partner_arrays.Ranking(
        order,
        lambda ids: [
            score(arrays.signals(int(row)), me) for row in np.searchsorted(arrays.ids, ids)
        ],
    )


def _ranking(org_id: int, kind: str, mode: str) -> partner_arrays.Ranking:
    """The other kind's organizations scored for `org_id` in `mode`, best first."""
    if kind == "enterprise":
        enterprise = enterprise_signals([org_id]).get(org_id) or fit.EnterpriseSignals()
        return _universities_for(enterprise, mode)
    university = university_signals([org_id]).get(org_id) or fit.UniversitySignals()
    return _enterprises_for(university, mode)


def _refs(ids: list[int]) -> dict[int, dict]:
    stmt = sa.select(
        Organization.id, Organization.kind, Organization.name, Organization.district
    ).where(Organization.id.in_(ids))
    return {row.id: _ref(row) for row in db.session.execute(stmt)}


def recommended(org_id: int, user: User, mode: str, page: int, per_page: int) -> dict:
    """The other kind's organizations best first for `org_id` in `mode` (its members and
    coordinators); scores may be up to PARTNER_MATCH_MAX_AGE seconds old, the partnerships
    marked are current."""
    org = db.session.get(Organization, org_id)
    if org is None or (membership(user, org_id) is None and not user.is_coordinator):
        not_found("organization")
    if org.kind not in ("enterprise", "university"):
        invalid("id", "partner matching is for enterprises and universities")
    ranking = _keep(("ranking", org.id, mode), lambda: _ranking(org.id, org.kind, mode))
    if org.kind == "enterprise":
        live = _live([org.id], None)
        key = lambda other: (org.id, other)  # noqa: E731
    else:
        live = _live(None, [org.id])
        key = lambda other: (other, org.id)  # noqa: E731
    rows = ranking.page((page - 1) * per_page, per_page)
    refs = _refs([other for other, _ in rows])
    items = [
        {
            "organization": refs[other],
            "score": result.score,
            "reasons": result.reasons,
            "partnership": live.get(key(other)),
        }
        for other, result in rows
    ]
    return envelope(items, len(ranking.order), page, per_page)


def pair(enterprise_id: int, university_id: int) -> dict:
    """The fit of one enterprise and one university in every mode (the view lets only
    coordinators ask)."""
    enterprise = _orgs("enterprise", [enterprise_id])
    if enterprise_id not in enterprise:
        invalid(
            "enterprise_id",
            gettext(
                "no approved enterprise with id %(enterprise_id)s", enterprise_id=enterprise_id
            ),
        )
    university = _orgs("university", [university_id])
    if university_id not in university:
        invalid(
            "university_id",
            gettext(
                "no approved university with id %(university_id)s", university_id=university_id
            ),
        )
    enterprise_side = enterprise_signals([enterprise_id], enterprise)[enterprise_id]
    university_side = university_signals([university_id], university)[university_id]
    fits = {mode: score(enterprise_side, university_side) for mode, score in fit.SCORERS.items()}
    return {
        "enterprise": _ref(enterprise[enterprise_id]),
        "university": _ref(university[university_id]),
        "partnership": _live([enterprise_id], [university_id]).get((enterprise_id, university_id)),
        "modes": [
            {"mode": mode, "score": found.score, "reasons": found.reasons}
            for mode, found in fits.items()
        ],
    }
