"""Programme rules: who proposes one, partners' answers, its lifecycle, positions offered.

proposed -> confirmed -> running -> closed      (the university; confirmed when every
                                                 partner confirmed)
a partner: pending -> confirmed | declined      (each partner enterprise)
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.services import managed_orgs, universities_of
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy import services as taxonomy
from cbec_alliance.teaching import services as teaching

from .models import Programme, ProgrammeCertificate, ProgrammeCourse, ProgrammePartner

LIFECYCLE = Lifecycle(
    {
        "start": Step(("confirmed",), "running", "university"),
        "close": Step(("running",), "closed", "university"),
    }
)
PARTNER = Lifecycle(
    {
        "confirm": Step(("pending",), "confirmed", "enterprise"),
        "decline": Step(("pending",), "declined", "enterprise"),
    }
)
PUBLIC = ("confirmed", "running", "closed")


def insiders(programme: Programme) -> set[int]:
    """The university and the partner enterprises."""
    return {programme.university_id, *programme.partner_enterprise_ids}


def get_visible(programme_id: int, user: User) -> Programme:
    """Confirmed, running and closed programmes for anyone signed in; a proposed one for its
    university, its partners and coordinators (404 for anyone else)."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        not_found("programme")
    if programme.state not in PUBLIC and not user.is_coordinator:
        mine = {m.organization_id for m in user.memberships}
        if not mine & insiders(programme):
            not_found("programme")
    return programme


def require_university(user: User, programme: Programme) -> None:
    """403 unless the user is an admin or staff of the programme's university."""
    if programme.university_id not in managed_orgs(user):
        forbidden("Only the programme's university's admins and staff may do this.")


def _check(data: dict, university_id: int) -> None:
    taxonomy.check("majors", "major", data.get("major"))
    if "partners" in data:
        ids = [p["enterprise_id"] for p in data["partners"]]
        if len(set(ids)) != len(ids):
            invalid("partners", "each enterprise may appear once")
        orgs = dict(
            db.session.execute(
                sa.select(Organization.id, Organization.kind).where(
                    Organization.id.in_(ids), Organization.status == "approved"
                )
            ).all()
        )
        bad = [i for i in ids if orgs.get(i) != "enterprise"]
        if bad:
            invalid("partners", _("not approved enterprises of the alliance: %(bad)s", bad=bad))
    if "course_ids" in data:
        owners = universities_of(data["course_ids"])
        foreign = [c for c in data["course_ids"] if owners.get(c) != university_id]
        if foreign:
            # A course of another university is as unknown here as one that does not exist.
            not_found(_("course %(value)s of this university", value=foreign[0]))
    taxonomy.check_certificates("certificates", data.get("certificates"), level_key="level")


def _set_children(programme: Programme, data: dict) -> None:
    if "partners" in data:
        programme.partners = [
            ProgrammePartner(
                enterprise_id=p["enterprise_id"], committed_positions=p["committed_positions"]
            )
            for p in data["partners"]
        ]
    if "course_ids" in data:
        programme.courses = [ProgrammeCourse(course_id=c) for c in data["course_ids"]]
    if "certificates" in data:
        programme.certificates = [
            ProgrammeCertificate(code=c["code"], level=c["level"]) for c in data["certificates"]
        ]


def _check_goals(kind: str, data: dict) -> None:
    if kind == "apprenticeship" and not data.get("months_per_year"):
        invalid(
            "months_per_year",
            "an apprenticeship says how many months a year are spent at the enterprise",
        )
    if kind != "apprenticeship" and data.get("months_per_year") is not None:
        invalid("months_per_year", "only an apprenticeship has months at the enterprise")
    if kind == "order_class" and any(
        p["committed_positions"] < 1 for p in data.get("partners", [])
    ):
        invalid("partners", "each partner of an order class commits to at least one position")


def create(user: User, data: dict) -> Programme:
    """A programme proposed by its university's staff; every partner is asked to confirm."""
    university = db.session.get(Organization, data["university_id"])
    if university is None or university.kind != "university" or university.status != "approved":
        invalid("university_id", "not an approved university of the alliance")
    if university.id not in managed_orgs(user):
        forbidden("Only the university's admins and staff propose its programmes.")
    _check(data, university.id)
    _check_goals(data["kind"], data)
    if not data["partners"]:
        invalid("partners", "a programme has at least one partner enterprise")
    fields = {k: v for k, v in data.items() if k not in ("partners", "course_ids", "certificates")}
    programme = Programme(created_by_id=user.id, **fields)
    _set_children(programme, data)
    db.session.add(programme)
    db.session.flush()
    audit(actor=user, obj=programme, action="create", changes={"name": programme.name})
    _ask_partners(programme, user)
    return programme


def update(user: User, programme: Programme, data: dict) -> Programme:
    """Change a proposed programme (the university); changed partners are asked again."""
    require_university(user, programme)
    if programme.state != "proposed":
        conflict(
            _("a %(state)s programme cannot change; only a proposed one", state=programme.state)
        )
    _check(data, programme.university_id)
    _check_goals(programme.kind, {"months_per_year": programme.months_per_year, **data})
    if "cohort_size" in data and data["cohort_size"] < programme.admitted_count:
        conflict(
            _(
                "cohort_size cannot go below the %(admitted_count)s admitted",
                admitted_count=programme.admitted_count,
            )
        )
    for field, value in data.items():
        if field not in ("partners", "course_ids", "certificates"):
            setattr(programme, field, value)
    if "partners" in data:
        if not data["partners"]:
            invalid("partners", "a programme has at least one partner enterprise")
        kept = {p.enterprise_id: p for p in programme.partners}
        _set_children(programme, {"partners": data["partners"]})
        for p in programme.partners:  # an unchanged partner keeps its answer
            before = kept.get(p.enterprise_id)
            if before is not None and before.committed_positions == p.committed_positions:
                p.state, p.reason, p.decided_at = before.state, before.reason, before.decided_at
    _set_children(programme, {k: v for k, v in data.items() if k != "partners"})
    db.session.flush()
    _follow_partners(programme)
    audit(actor=user, obj=programme, action="update", changes={"fields": sorted(data)})
    _ask_partners(programme, user)
    return programme


def _ask_partners(programme: Programme, user: User) -> None:
    pending = [p.enterprise_id for p in programme.partners if p.state == "pending"]
    if pending:
        emit(
            "programme.proposed",
            {**payload(programme), "enterprise_ids": pending},
            organization_id=programme.university_id,
            actor=user,
        )


def _follow_partners(programme: Programme) -> None:
    # A proposed programme is confirmed once every partner has confirmed.
    if programme.state == "proposed" and all(p.state == "confirmed" for p in programme.partners):
        programme.state = "confirmed"


def caller_partner(user: User, programme: Programme, enterprise_id: int | None) -> ProgrammePartner:
    """The partner the caller acts for: `enterprise_id` when given (422 when it is no partner),
    else the one partner whose admin or staff the caller is (403 for none, 422 naming the
    choices when several)."""
    mine = [e for e in programme.partner_enterprise_ids if e in managed_orgs(user)]
    if enterprise_id is not None:
        if enterprise_id not in programme.partner_enterprise_ids:
            invalid("enterprise_id", "not a partner of this programme")
        mine = [enterprise_id] if enterprise_id in mine else []
    if not mine:
        forbidden("Only the admins and staff of a partner enterprise of the programme may do this.")
    if len(mine) > 1:
        invalid("enterprise_id", _("you act for several partners; name one of %(mine)s", mine=mine))
    return next(p for p in programme.partners if p.enterprise_id == mine[0])


def answer(
    user: User, programme: Programme, enterprise_id: int | None, confirm: bool, reason: str | None
) -> Programme:
    """A partner confirms the programme, or declines it with a reason (the university may
    then change its partners)."""
    partner = caller_partner(user, programme, enterprise_id)
    verb = "confirm" if confirm else "decline"
    if not confirm and not reason:
        invalid("reason", "say why the enterprise declines")
    if programme.state != "proposed":
        conflict(_("the programme is %(state)s: there is nothing to answer", state=programme.state))
    partner.state = PARTNER.target(partner.state, verb)
    partner.reason, partner.decided_at = reason, utcnow()
    _follow_partners(programme)
    audit(
        actor=user,
        obj=programme,
        action=verb,
        changes={"enterprise_id": partner.enterprise_id, "reason": reason},
    )
    emit(
        f"programme.{partner.state}",
        {**payload(programme), "enterprise_id": partner.enterprise_id, "reason": reason or ""},
        organization_id=programme.university_id,
        actor=user,
    )
    return programme


def transition(user: User, programme: Programme, verb: str) -> Programme:
    """Start a confirmed programme, or close a running one (the university)."""
    require_university(user, programme)
    before = programme.state
    programme.state = LIFECYCLE.target(programme.state, verb)
    audit(
        actor=user,
        obj=programme,
        action=verb,
        changes={"state": {"from": before, "to": programme.state}},
    )
    return programme


def record_offers(user: User, programme: Programme, enterprise_id: int | None, positions: int):
    """A partner records how many positions it has offered the cohort (order classes)."""
    partner = caller_partner(user, programme, enterprise_id)
    if programme.state not in ("running", "closed"):
        conflict("positions are offered once the programme runs")
    partner.offered_positions = positions
    audit(
        actor=user,
        obj=programme,
        action="offers",
        changes={"enterprise_id": partner.enterprise_id, "positions": positions},
    )
    return programme


def listing(args: dict, user: User) -> sa.Select:
    """Programmes by intake year (newest first), filtered; proposed ones only for insiders."""
    stmt = sa.select(Programme)
    if not user.is_coordinator:
        mine = list({m.organization_id for m in user.memberships})
        partner_of = sa.select(ProgrammePartner.programme_id).where(
            ProgrammePartner.enterprise_id.in_(mine)
        )
        stmt = stmt.where(
            sa.or_(
                Programme.state.in_(PUBLIC),
                Programme.university_id.in_(mine),
                Programme.id.in_(partner_of),
            )
        )
    for name in ("kind", "state", "university_id", "major", "intake_year"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Programme, name) == args[name])
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(
            Programme.id.in_(
                sa.select(ProgrammePartner.programme_id).where(
                    ProgrammePartner.enterprise_id == args["enterprise_id"]
                )
            )
        )
    return stmt.order_by(Programme.intake_year.desc(), Programme.id.desc())


def payload(programme: Programme) -> dict:
    """The fields every programme notification carries."""
    return {
        "programme_id": programme.id,
        "name": programme.name,
        "kind": programme.kind,
        "university_id": programme.university_id,
    }


def propose_teaching(user: User, programme: Programme, data: dict):
    """Hours on the programme for an enterprise teacher (its university's admins and staff,
    until it closes); the assignment is the teaching domain's."""
    require_university(user, programme)
    if programme.state == "closed":
        conflict("the programme is closed: no new teaching assignments")
    target = teaching.Target("programme_id", programme.id, programme.university_id, programme.name)
    return teaching.propose_on_programme(user, target, data)
