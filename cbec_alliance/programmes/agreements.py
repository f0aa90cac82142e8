"""The apprenticeship agreement: made from the programme's facts when an apprentice is
admitted, signed by the student, the university and the enterprise over its exact text."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, forbidden, not_found
from cbec_alliance.core.pdf import sha256_hex
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.services import managed_orgs
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization

from .agreement_models import PARTIES, ApprenticeshipAgreement, ApprenticeshipSignature
from .models import CohortMember, Programme

TEMPLATE = """现代学徒制三方协议（{name}）

甲方（学校）：{university}
乙方（企业）：{enterprise}
丙方（学徒）：{student}

一、丙方于 {intake_year} 年入读{major}专业，参加甲乙双方联合举办的现代学徒制项目“{name}”。
二、丙方每学年在乙方岗位学习 {months} 个月，其余时间在甲方学习；
    乙方指定企业师傅，甲方指定学校导师，共同指导。
三、岗位学习期间，乙方依法保障丙方的安全与休息，不得收取任何费用或押金，不得扣押证件。
四、三方在本文本上签署即生效；文本的任何改动须三方重新签署。

Modern apprenticeship agreement ({name}): the university {university}, the enterprise
{enterprise} and the apprentice {student} (intake {intake_year}, major {major}); {months}
months a year at the enterprise, guided by an enterprise master and a school mentor; no fee,
deposit or withheld document; binding once all three have signed this exact text.
"""


def open_for(programme: Programme, member: CohortMember) -> ApprenticeshipAgreement | None:
    """Make the agreement of a newly admitted apprentice (other kinds have none)."""
    if programme.kind != "apprenticeship":
        return None
    enterprise_id = member.enterprise_id or next(
        p.enterprise_id for p in programme.partners if p.state == "confirmed"
    )
    names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(
                Organization.id.in_([programme.university_id, enterprise_id])
            )
        ).all()
    )
    student = db.session.get_one(User, member.student_id)
    text = TEMPLATE.format(
        name=programme.name,
        university=names[programme.university_id],
        enterprise=names[enterprise_id],
        student=student.name,
        intake_year=programme.intake_year,
        major=programme.major,
        months=programme.months_per_year,
    )
    agreement = ApprenticeshipAgreement(
        member_id=member.id, enterprise_id=enterprise_id, text=text, sha256=sha256_hex(text)
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def _party(user: User, programme: Programme, member: CohortMember, agreement) -> str | None:
    if user.id == member.student_id:
        return "student"
    managed = managed_orgs(user)
    if programme.university_id in managed:
        return "university"
    if agreement.enterprise_id in managed:
        return "enterprise"
    return None


def get(
    user: User, programme: Programme, student_id: int
) -> tuple[ApprenticeshipAgreement, str | None]:
    """The apprentice's agreement for one of its parties or a coordinator (404 otherwise)."""
    agreement = db.session.scalar(
        sa.select(ApprenticeshipAgreement)
        .join(CohortMember, CohortMember.id == ApprenticeshipAgreement.member_id)
        .where(CohortMember.programme_id == programme.id, CohortMember.student_id == student_id)
    )
    if agreement is None:
        not_found("apprenticeship agreement")
    member = db.session.get_one(CohortMember, agreement.member_id)
    party = _party(user, programme, member, agreement)
    if party is None and not user.is_coordinator:
        not_found("apprenticeship agreement")
    return agreement, party


def detail(agreement: ApprenticeshipAgreement) -> dict:
    """The agreement with who signed and who has still to."""
    signed = {s.party for s in agreement.signatures}
    return {
        "id": agreement.id,
        "enterprise_id": agreement.enterprise_id,
        "text": agreement.text,
        "sha256": agreement.sha256,
        "signatures": agreement.signatures,
        "missing_parties": [p for p in PARTIES if p not in signed],
        "signed_at": agreement.signed_at,
    }


def sign(
    user: User, programme: Programme, student_id: int, sha256: str, address: str | None
) -> dict:
    """The caller's party signs the exact text it read (its SHA-256 must match)."""
    agreement, party = get(user, programme, student_id)
    if party is None:
        forbidden("Only the apprentice, the university and the enterprise sign.")
    if sha256 != agreement.sha256:
        conflict("the agreement text is not the one you read: read the current text")
    if any(s.party == party for s in agreement.signatures):
        conflict(_("the %(party)s has already signed", party=party))
    agreement.signatures.append(
        ApprenticeshipSignature(
            party=party, signer_id=user.id, ip=(address or "")[:64] or None, sha256=sha256
        )
    )
    if len(agreement.signatures) == len(PARTIES):
        agreement.signed_at = utcnow()
    audit(
        actor=user, obj=programme, action="sign", changes={"student_id": student_id, "party": party}
    )
    return detail(agreement)
