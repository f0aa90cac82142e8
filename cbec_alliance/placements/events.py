"""Notification events of placements, registered in the catalogue.

Most steps concern three parties: the student, the university's staff and the enterprise's
staff (`parties`); an insurance gap is told to the two organizations only, and a mentor hears
of their own assignment.
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import Batches, EventSpec, id_batches, register
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES, Membership

PLACEMENT_PAYLOAD = {
    "placement_id": ("integer", "the placement"),
    "student_id": ("integer", "the student (a user id)"),
    "student_name": ("string", "the student's name"),
    "university_id": ("integer", "the student's university"),
    "enterprise_id": ("integer", "the host enterprise"),
    "title": ("string", "the internship's title"),
    "state": ("string", "the placement's state after the event"),
    "starts_on": ("string", "the first day (ISO date)"),
    "ends_on": ("string", "the last day (ISO date)"),
    "detail": ("string", "what happened, in a few words (may be empty)"),
}


def both_sides(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the admins and staff of the university and of the enterprise."""
    orgs = [event.payload["university_id"], event.payload["enterprise_id"]]
    stmt = (
        sa.select(Membership.user_id)
        .where(Membership.organization_id.in_(orgs), Membership.role.in_(STAFF_ROLES))
        .distinct()
    )
    return id_batches(stmt, Membership.user_id, batch)


def parties(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the student, then both sides' admins and staff."""
    yield [event.payload["student_id"]]
    yield from both_sides(event, batch)


def the_mentor(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the mentor just assigned."""
    yield [event.payload["mentor_id"]]


def _spec(type_: str, description: str, recipients, zh: str, en: str, **extra) -> None:
    register(
        EventSpec(
            type=type_,
            description=description,
            recipients=recipients,
            title={"zh": f"{zh}：{{title}}", "en": f"{en}: {{title}}"},
            body={
                "zh": f"{{student_name}} 的实习「{{title}}」（{{starts_on}} 至 {{ends_on}}）"
                f"{zh}。{{detail}}",
                "en": f"{{student_name}}'s placement {{title}} ({{starts_on}} to {{ends_on}}): "
                f"{en.lower()}. {{detail}}",
            },
            payload={**PLACEMENT_PAYLOAD, **extra},
            org_kinds=("enterprise", "university"),
            webhook_description=description,
        )
    )


_spec(
    "placement.created",
    "A placement was opened for an accepted offer",
    parties,
    "实习已建立",
    "Placement opened",
)
_spec(
    "placement.agreement_ready",
    "The placement agreement is ready to sign (again, if its terms changed)",
    parties,
    "实习协议待签署",
    "Agreement ready to sign",
)
_spec("placement.active", "A placement started", parties, "实习已开始", "Placement started")
_spec(
    "placement.suspended", "A placement was suspended", parties, "实习已暂停", "Placement suspended"
)
_spec(
    "placement.terminated",
    "A placement was terminated",
    parties,
    "实习已终止",
    "Placement terminated",
)
_spec(
    "placement.completed", "A placement was completed", parties, "实习已完成", "Placement completed"
)
_spec(
    "placement.insurance_ending",
    "A placement's insurance ends before the placement does",
    both_sides,
    "实习保险即将到期",
    "Insurance ending early",
    covered_until=("string", "the last day covered (ISO date)"),
)
_spec(
    "placement.mentor_assigned",
    "You were assigned as a placement's mentor",
    the_mentor,
    "您被指定为实习导师",
    "You are the mentor",
    mentor_id=("integer", "the mentor (a user id)"),
    role=("string", "school or enterprise"),
)
