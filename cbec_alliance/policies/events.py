"""Notification events of policy applications, registered in the catalogue: reviewers (the
issuing government's admins and staff) hear of submissions and withdrawals, the applicant
organization's admins of every decision."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import EventSpec, org_members, register
from cbec_alliance.organizations.models import STAFF_ROLES

PAYLOAD = {
    "policy_id": ("integer", "the policy"),
    "title": ("string", "its title"),
    "kind": ("string", "subsidy, award or certification"),
    "issuer_id": ("integer", "the issuing government organization"),
    "application_id": ("integer", "the application"),
    "applicant_id": ("integer", "the applicant organization"),
    "state": ("string", "the application's state after the step"),
    "amount": (
        "string",
        "yuan, two decimals: disbursed, else approved, else requested; empty when none",
    ),
    "reason": ("string", "what more is needed, or why it was rejected (else empty)"),
}

for verb, zh, en in (
    ("submitted", "收到政策申请", "Application submitted"),
    ("withdrawn", "政策申请已撤回", "Application withdrawn"),
):
    register(
        EventSpec(
            type=f"policy_application.{verb}",
            description=f"An organization's application to your government's policy was {verb}",
            recipients=org_members(STAFF_ROLES),
            title={"zh": f"{zh}：{{title}}", "en": f"{en}: {{title}}"},
            body={
                "zh": f"「{{title}}」{zh}（申请编号 {{application_id}}）。",
                "en": f"{en} for {{title}} (application {{application_id}}).",
            },
            payload=PAYLOAD,
            org_kinds=("government",),
        )
    )
for verb, zh, en in (
    ("more_info_requested", "需补充材料", "More information requested"),
    ("approved", "申请已批准", "Application approved"),
    ("rejected", "申请未获批准", "Application rejected"),
    ("disbursed", "资金已拨付", "Funds disbursed"),
):
    register(
        EventSpec(
            type=f"policy_application.{verb}",
            description=f"Your organization's policy application: {en.lower()}",
            recipients=org_members(("admin",)),
            title={"zh": f"{zh}：{{title}}", "en": f"{en}: {{title}}"},
            body={
                "zh": f"贵单位申请的「{{title}}」：{zh}。金额 {{amount}} 元。{{reason}}",
                "en": (
                    f"Your application to {{title}}: {en.lower()}. "
                    "Amount {amount} CNY. {reason}"
                ),
            },
            payload=PAYLOAD,
        )
    )
