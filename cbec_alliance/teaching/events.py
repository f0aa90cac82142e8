"""Notification events of joint teaching, registered in the catalogue."""

from __future__ import annotations

from cbec_alliance.notifications.catalogue import Batches, EventSpec, org_members, register
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES

ASSIGNMENT_PAYLOAD = {
    "assignment_id": ("integer", "the teaching assignment"),
    "teacher_id": ("integer", "the enterprise teacher"),
    "university_id": ("integer", "the university proposing it"),
    "university": ("string", "its name"),
    "enterprise_id": ("integer", "the teacher's enterprise"),
    "course_id": ("integer", "the course (null for a programme)"),
    "programme_id": ("integer", "the programme (null for a course)"),
    "subject": ("string", "the course's or programme's name when proposed"),
    "semester": ("string", "e.g. 2027-spring"),
    "hours": ("integer", "hours to teach in the semester"),
}
STAY_PAYLOAD = {
    "stay_id": ("integer", "the practice stay"),
    "teacher_id": ("integer", "the university teacher"),
    "teacher": ("string", "their name"),
    "university_id": ("integer", "the teacher's university"),
    "enterprise_id": ("integer", "the enterprise hosting the stay"),
    "enterprise": ("string", "its name"),
    "starts_on": ("string", "first day (YYYY-MM-DD)"),
    "ends_on": ("string", "last day (YYYY-MM-DD)"),
    "hours": ("integer", "hours of practice"),
}
REASON = {"reason": ("string", "the reason given (may be empty)")}


def the_teacher(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the teacher the assignment or stay is about."""
    yield [event.payload["teacher_id"]]


register(
    EventSpec(
        type="teaching_assignment.proposed",
        description="A university proposes that you teach on a course",
        recipients=the_teacher,
        title={"zh": "授课邀请：{subject}", "en": "Teaching proposal: {subject}"},
        body={
            "zh": "{university}邀请您在{semester}讲授《{subject}》{hours}学时，请确认或婉拒。",
            "en": "{university} proposes that you teach {hours} hours of {subject} in "
            "{semester}. Please accept or decline.",
        },
        payload=ASSIGNMENT_PAYLOAD,
    )
)
register(
    EventSpec(
        type="teaching_assignment.accepted",
        description="An enterprise teacher accepted a teaching assignment",
        recipients=org_members(STAFF_ROLES),
        title={"zh": "企业教师已接受：{subject}", "en": "Teaching accepted: {subject}"},
        body={
            "zh": "企业教师已接受在{semester}讲授《{subject}》{hours}学时。",
            "en": "The enterprise teacher accepted {hours} hours of {subject} in {semester}.",
        },
        payload={**ASSIGNMENT_PAYLOAD, **REASON},
    )
)
register(
    EventSpec(
        type="teaching_assignment.declined",
        description="An enterprise teacher declined a teaching assignment",
        recipients=org_members(STAFF_ROLES),
        title={"zh": "企业教师已婉拒：{subject}", "en": "Teaching declined: {subject}"},
        body={
            "zh": "企业教师婉拒了在{semester}讲授《{subject}》。原因：{reason}",
            "en": "The enterprise teacher declined {subject} in {semester}. Reason: {reason}",
        },
        payload={**ASSIGNMENT_PAYLOAD, **REASON},
    )
)
register(
    EventSpec(
        type="practice_stay.confirmation_requested",
        description="A university teacher's practice stay at your enterprise awaits confirmation",
        recipients=org_members(STAFF_ROLES),
        title={"zh": "教师企业实践待确认：{teacher}", "en": "Practice stay to confirm: {teacher}"},
        body={
            "zh": "{teacher}申请于{starts_on}至{ends_on}在{enterprise}实践{hours}小时，请确认。",
            "en": "{teacher} proposes a practice stay at {enterprise} from {starts_on} to "
            "{ends_on} ({hours} hours). Please confirm or reject it.",
        },
        payload=STAY_PAYLOAD,
    )
)
register(
    EventSpec(
        type="practice_stay.confirmed",
        description="An enterprise confirmed your practice stay",
        recipients=the_teacher,
        title={"zh": "企业实践已确认：{enterprise}", "en": "Practice stay confirmed: {enterprise}"},
        body={
            "zh": "{enterprise}已确认您{starts_on}至{ends_on}的企业实践（{hours}小时）。",
            "en": "{enterprise} confirmed your practice stay from {starts_on} to {ends_on} "
            "({hours} hours).",
        },
        payload={**STAY_PAYLOAD, **REASON},
    )
)
register(
    EventSpec(
        type="practice_stay.rejected",
        description="An enterprise rejected your practice stay",
        recipients=the_teacher,
        title={
            "zh": "企业实践未获确认：{enterprise}",
            "en": "Practice stay rejected: {enterprise}",
        },
        body={
            "zh": "{enterprise}未确认您{starts_on}至{ends_on}的企业实践。原因：{reason}",
            "en": "{enterprise} rejected your practice stay from {starts_on} to {ends_on}. "
            "Reason: {reason}",
        },
        payload={**STAY_PAYLOAD, **REASON},
    )
)
