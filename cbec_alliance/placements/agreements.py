"""The three-party agreement: made from a template with the placement's facts, made again
(a new version, earlier signatures void) whenever those facts change, signed by each party,
immutable once every party has signed, and typeset as a PDF with its hash printed."""

from __future__ import annotations

from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.core.errors import conflict, invalid, not_found
from cbec_alliance.core.pdf import Document, sha256_hex
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import Organization

from . import access, facts, rules, templates
from .lifecycle import EDITABLE, PARTIES
from .models import Agreement, Placement, Signature
from .notices import audit, notify

PARTY_NAMES = {
    "student": "学生 / student",
    "university": "学校 / school",
    "enterprise": "实习单位 / enterprise",
    "guardian": "监护人 / guardian",
}


def _name(
    model, row_id: int | None, attr: str = "name", missing: str = "（未指定 / not yet)"
) -> str:
    row = db.session.get(model, row_id) if row_id is not None else None
    return getattr(row, attr) if row is not None else missing


def _insurance_text(placement: Placement) -> tuple[str, str]:
    found = facts.policies(placement)
    if not found:
        return "（尚未登记 / not yet recorded）", "not yet recorded"
    zh = "；".join(
        f"{p.insurer} 保单 {p.policy_number}，{p.covers_from} 至 {p.covers_to}，"
        f"保额 {p.sum_insured} 元"
        for p in found
    )
    en = "; ".join(
        f"{p.insurer} policy {p.policy_number}, {p.covers_from} to {p.covers_to}, "
        f"sum insured CNY {p.sum_insured}"
        for p in found
    )
    return zh, en


def fill_facts(placement: Placement) -> dict:
    """The facts the template is filled with."""
    insurance_zh, insurance_en = _insurance_text(placement)
    guardian = rules.guardian_needed(facts.terms(placement))
    stipend = placement.stipend
    return {
        "terms_version": placement.terms_version,
        "university": _name(Organization, placement.university_id),
        "enterprise": _name(Organization, placement.enterprise_id),
        "student": _name(User, placement.student_id),
        "guardian_zh": "（未满18周岁：附监护人知情同意）" if guardian else "",
        "guardian_en": " (under 18: with a guardian's consent)" if guardian else "",
        "title": _name(Internship, placement.internship_id, "title"),
        "starts_on": placement.starts_on.isoformat(),
        "ends_on": placement.ends_on.isoformat(),
        "hours_per_day": placement.hours_per_day,
        "hours_per_week": placement.hours_per_week,
        "work_starts_at": placement.work_starts_at.strftime("%H:%M"),
        "work_ends_at": placement.work_ends_at.strftime("%H:%M"),
        "rest_days": placement.rest_days_per_week,
        "stipend": f"{stipend} 元" if stipend is not None else "（未约定）",
        "stipend_en": f"CNY {stipend}" if stipend is not None else "(not agreed)",
        "insurance_zh": insurance_zh,
        "insurance_en": insurance_en,
        "school_mentor": _name(User, placement.school_mentor_id),
        "enterprise_mentor": _name(User, placement.enterprise_mentor_id),
    }


def _new_version(placement: Placement, text: str, actor) -> Agreement:
    agreement = Agreement(
        placement_id=placement.id,
        terms_version=placement.terms_version,
        template_version=templates.CURRENT,
        text=text,
        sha256=sha256_hex(text),
        guardian_required=rules.guardian_needed(facts.terms(placement)),
    )
    db.session.add(agreement)
    db.session.flush()
    audit(
        actor,
        placement,
        "agreement",
        {"version": placement.terms_version, "sha256": agreement.sha256},
    )
    return agreement


def refresh(placement: Placement, actor) -> Agreement:
    """The agreement of the placement's facts: the current one when its text still holds,
    else (while the placement is being prepared) a new version whose signatures are asked
    again; an agreement's own text and signatures never change."""
    current = facts.current_agreement(placement)
    if current is not None and placement.state not in EDITABLE:
        return current
    db.session.flush()  # facts just changed (a policy, a mentor) are read by the template
    if current is not None and templates.fill(fill_facts(placement)) == current.text:
        return current
    if current is not None:
        current.voided_at = utcnow()
        placement.terms_version += 1
    agreement = _new_version(placement, templates.fill(fill_facts(placement)), actor)
    detail = "条款已变更，请重新签署 / terms changed: please sign again" if current else ""
    notify("placement.agreement_ready", placement, actor, detail)
    return agreement


def current(placement: Placement) -> Agreement:
    """The current agreement; 404 when none has been made."""
    agreement = facts.current_agreement(placement)
    if agreement is None:
        not_found("agreement")
    return agreement


def required_parties(placement: Placement) -> set[str]:
    """The parties whose signatures complete the agreement (the guardian's when under 18)."""
    needed = set(PARTIES)
    if rules.guardian_needed(facts.terms(placement)):
        needed.add("guardian")
    return needed


def _signing_party(user: User, placement: Placement, data: dict) -> str:
    wanted = data.get("party")
    if wanted == "guardian":
        # A guardian signs beside the student, or their signed consent is recorded by the school.
        access.require_party(user, placement, "student", "university")
        if not data.get("guardian_name"):
            invalid("guardian_name", "the guardian's name is required")
        if not rules.guardian_needed(facts.terms(placement)):
            conflict(
                "no guardian consent is needed: the student is 18 or over"
                " (or the date of birth is not recorded)"
            )
        return "guardian"
    if wanted is not None:
        return access.require_party(user, placement, wanted)
    return access.require_party(user, placement, *PARTIES)


def sign(user: User, placement: Placement, data: dict, address: str | None) -> Agreement:
    """Record the user's signature of the current text (the hash they read must match)."""
    if placement.state not in EDITABLE:
        conflict(
            _(
                "the agreement of a placement that is %(state)s cannot be signed",
                state=placement.state,
            )
        )
    agreement = current(placement)
    party = _signing_party(user, placement, data)
    if data["sha256"] != agreement.sha256:
        conflict(
            "the agreement text changed since you read it: read the current version",
            sha256=agreement.sha256,
        )
    if party in facts.signed_parties(agreement):
        conflict(_("the %(party)s has already signed this version", party=party))
    agreement.signatures.append(
        Signature(
            party=party,
            signer_id=user.id,
            signer_name=data.get("guardian_name") or user.name,
            ip=(address or "")[:64] or None,
            sha256=agreement.sha256,
        )
    )
    if required_parties(placement) <= facts.signed_parties(agreement):
        agreement.signed_at = utcnow()
    audit(user, placement, "sign", {"party": party, "sha256": agreement.sha256, "ip": address})
    return agreement


def pdf(placement: Placement, agreement: Agreement) -> bytes:
    """The agreement typeset (Chinese and English), its signatures, and its SHA-256."""
    status = (
        "已签署 / signed"
        if agreement.signed_at
        else "草案，尚未全部签署 / draft, not yet signed by all"
    )
    doc = Document("三方实习协议 / Placement agreement", small_print=f"SHA-256 {agreement.sha256}")
    doc.title_block(
        f"第 {agreement.terms_version} 版 / version {agreement.terms_version} · {status}"
    )
    doc.paragraph(agreement.text)
    doc.heading("签署 / Signatures")
    rows = [
        (
            PARTY_NAMES[s.party],
            s.signer_name,
            s.signed_at.strftime("%Y-%m-%d %H:%M UTC"),
            s.ip or "",
        )
        for s in agreement.signatures
    ]
    doc.table_rows(("一方 / Party", "签署人 / Signed by", "时间 / When", "地址 / From"), rows)
    doc.paragraph(f"文本 SHA-256 / SHA-256 of the text: {agreement.sha256}", size=9)
    return doc.bytes()


def detail(placement: Placement) -> dict:
    """The current agreement with the parties it needs and those still to sign."""
    agreement = current(placement)
    needed = required_parties(placement)
    signed = facts.signed_parties(agreement)
    return {
        **{column.name: getattr(agreement, column.name) for column in Agreement.__table__.c},
        "signatures": agreement.signatures,
        "required_parties": sorted(needed),
        "missing_parties": sorted(needed - signed),
    }
