"""Notification events of partnerships, registered in the catalogue (to the other side)."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import EventSpec, org_members, register
from cbec_alliance.organizations.models import STAFF_ROLES

_staff = org_members(STAFF_ROLES)

# People hear of a step from the other side; webhooks of both sides hear every step (the
# payload names both: `named_orgs` finds them).
PARTNERSHIP_PAYLOAD = {
    "partnership_id": ("integer", "the partnership"),
    "enterprise_id": ("integer", "its enterprise"),
    "enterprise_name": ("string", "the enterprise's name"),
    "university_id": ("integer", "its university"),
    "university_name": ("string", "the university's name"),
    "status": ("string", "its status after the event"),
    "modes": ("string", "cooperation mode codes, comma-separated"),
}
_REASON = {"reason": ("string", "the reason given (may be empty)")}

for type_, description, zh, en, about in (
    (
        "partnership.proposed",
        "A partnership was proposed to your organization",
        "合作提议",
        "Partnership proposed",
        "One side proposed a partnership to the other",
    ),
    (
        "partnership.active",
        "A partnership was accepted, or resumed",
        "合作生效",
        "Partnership active",
        "",
    ),
    (
        "partnership.declined",
        "Your partnership proposal was declined",
        "合作提议被拒绝",
        "Partnership declined",
        "One side declined the other's partnership proposal",
    ),
    (
        "partnership.suspended",
        "A partnership was suspended",
        "合作暂停",
        "Partnership suspended",
        "",
    ),
    ("partnership.ended", "A partnership was ended", "合作终止", "Partnership ended", ""),
):
    register(
        EventSpec(
            type=type_,
            description=description,
            recipients=_staff,
            title={
                "zh": f"{zh}：{{enterprise_name}} × {{university_name}}",
                "en": f"{en}: {{enterprise_name}} × {{university_name}}",
            },
            body={
                "zh": f"{{enterprise_name}} 与 {{university_name}} 的校企合作（{{modes}}）："
                f"{zh}。{{reason}}",
                "en": f"The partnership of {{enterprise_name}} and {{university_name}} "
                f"({{modes}}): {en.lower()}. {{reason}}",
            },
            payload={
                **PARTNERSHIP_PAYLOAD,
                **({} if type_ == "partnership.proposed" else _REASON),
            },
            org_kinds=("enterprise", "university"),
            webhook_audience="both sides: the enterprise and the university",
            webhook_description=about,
        )
    )
