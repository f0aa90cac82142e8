"""Notification events of the records kept during a placement (compliance alerts, weekly logs,
incidents), registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    coordinators,
    id_batches,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import Membership

PLACEMENT_PAYLOAD = {
    "placement_id": ("integer", "the placement"),
    "student_id": ("integer", "the student (a user id)"),
    "student_name": ("string", "the student's name"),
    "university_id": ("integer", "the student's university"),
    "enterprise_id": ("integer", "the host enterprise"),
    "school_mentor_id": ("integer", "the school mentor (a user id; null before one is assigned)"),
}
UNIVERSITY = ("university",)


def school_mentor(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the placement's school mentor."""
    if event.payload.get("school_mentor_id"):
        yield [event.payload["school_mentor_id"]]


def the_student(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the placement's student."""
    yield [event.payload["student_id"]]


def mentor_and_coordinators(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the school mentor, then every coordinator."""
    yield from school_mentor(event, batch)
    yield from coordinators(event, batch)


def university_admins_mentor_and_coordinators(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the university's admins, the school mentor, then every coordinator."""
    admins = sa.select(Membership.user_id).where(
        Membership.organization_id == event.payload["university_id"], Membership.role == "admin"
    )
    yield from id_batches(admins, Membership.user_id, batch)
    yield from mentor_and_coordinators(event, batch)


register(
    EventSpec(
        type="placement.compliance_alert",
        description="A placement broke a working-time limit (over 8 hours a day, over 40 a "
        "week, or night work)",
        recipients=mentor_and_coordinators,
        title={
            "zh": "实习合规提醒：{student_name}（{kind}）",
            "en": "Placement compliance alert: {student_name} ({kind})",
        },
        body={
            "zh": "{student_name} 的实习在 {period} 违反工时规定：{clause}（{minutes} 分钟）。",
            "en": "{student_name}'s placement broke a working-time limit on {period}: "
            "{clause} ({minutes} minutes).",
        },
        payload={
            **PLACEMENT_PAYLOAD,
            "alert_id": ("integer", "the alert"),
            "kind": ("string", "`day_over_8h`, `week_over_40h` or `night_work`"),
            "period": ("string", "the day, or the Monday of the week (YYYY-MM-DD)"),
            "minutes": ("integer", "the minutes worked that broke the limit"),
            "clause": ("string", "the provision the limit comes from"),
        },
        org_kinds=UNIVERSITY,
        webhook_audience="the student's university",
        urgent=True,
    )
)
register(
    EventSpec(
        type="placement.log_missing",
        description="Reminder: a weekly log is missing two days after its week ended",
        recipients=the_student,
        title={"zh": "请提交实习周志（{week} 周）", "en": "Weekly log due (week of {week})"},
        body={
            "zh": "您 {week} 开始的一周实习周志尚未提交，请尽快填写。",
            "en": "Your placement log for the week of {week} is missing; please write it.",
        },
        payload={**PLACEMENT_PAYLOAD, "week": ("string", "the week's Monday (YYYY-MM-DD)")},
        org_kinds=(),  # for the student only
    )
)
register(
    EventSpec(
        type="placement.log_overdue",
        description="A weekly log has been missing for two weeks",
        recipients=school_mentor,
        title={
            "zh": "实习周志逾期两周：{student_name}",
            "en": "Weekly log two weeks overdue: {student_name}",
        },
        body={
            "zh": "{student_name} 的 {week} 周实习周志已逾期两周未提交。",
            "en": "{student_name}'s log for the week of {week} has been missing for two weeks.",
        },
        payload={**PLACEMENT_PAYLOAD, "week": ("string", "the week's Monday (YYYY-MM-DD)")},
        org_kinds=UNIVERSITY,
        webhook_audience="the student's university",
    )
)

INCIDENT_PAYLOAD = {
    **PLACEMENT_PAYLOAD,
    "incident_id": ("integer", "the incident"),
    "kind": (
        "string",
        "`injury`, `harassment`, `wage_dispute`, `hours_dispute`, `unsafe_work` or `other`",
    ),
    "severity": ("string", "`low`, `high` or `critical`"),
    "placement_state": ("string", "the placement's state after the event (`suspended`...)"),
}
register(
    EventSpec(
        type="placement.incident_reported",
        description="A high or critical incident was reported during a placement",
        recipients=university_admins_mentor_and_coordinators,
        title={
            "zh": "实习安全事件（{severity}）：{student_name}",
            "en": "Placement incident ({severity}): {student_name}",
        },
        body={
            "zh": "{student_name} 的实习报告了 {severity} 级事件（{kind}），"
            "实习状态：{placement_state}。",
            "en": "A {severity} incident ({kind}) was reported in {student_name}'s placement; "
            "the placement is {placement_state}.",
        },
        payload=INCIDENT_PAYLOAD,
        org_kinds=UNIVERSITY,
        webhook_audience="the student's university",
        urgent=True,
    )
)
register(
    EventSpec(
        type="placement.incident_resolved",
        description="The resolution of a high or critical placement incident was recorded",
        recipients=university_admins_mentor_and_coordinators,
        title={
            "zh": "实习安全事件已处理：{student_name}",
            "en": "Placement incident resolved: {student_name}",
        },
        body={
            "zh": "{student_name} 的实习事件（{kind}）已记录处理结果，"
            "实习状态：{placement_state}。",
            "en": "The {kind} incident in {student_name}'s placement was resolved; the "
            "placement is {placement_state}.",
        },
        payload=INCIDENT_PAYLOAD,
        org_kinds=UNIVERSITY,
        webhook_audience="the student's university",
    )
)
