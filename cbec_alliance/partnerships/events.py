"""Notification events of partnerships, registered in the catalogue (to the other side)."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import EventSpec, org_members, register

_staff = org_members(("admin", "staff"))

for type_, description, zh, en in (
    (
        "partnership.proposed",
        "A partnership was proposed to your organization",
        "合作提议",
        "Partnership proposed",
    ),
    (
        "partnership.active",
        "A partnership was accepted, or resumed",
        "合作生效",
        "Partnership active",
    ),
    (
        "partnership.declined",
        "Your partnership proposal was declined",
        "合作提议被拒绝",
        "Partnership declined",
    ),
    ("partnership.suspended", "A partnership was suspended", "合作暂停", "Partnership suspended"),
    ("partnership.ended", "A partnership was ended", "合作终止", "Partnership ended"),
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
        )
    )
