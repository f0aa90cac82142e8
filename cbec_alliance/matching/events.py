"""Notification events of match rounds, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    coordinators,
    id_batches,
    org_members,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.organizations.models import STAFF_ROLES

from .models import Preference


def round_students(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: every student who gave preferences in the round."""
    stmt = sa.select(Preference.student_id).where(Preference.round_id == event.payload["round_id"])
    return id_batches(stmt, Preference.student_id, batch)


_enterprise = org_members(STAFF_ROLES)
# The events for an enterprise carry it as `organization_id`; the others are for students
# and coordinators only (an enterprise subscribes to `match_round.enterprise_results`).
ENTERPRISE = ("enterprise",)
PEOPLE_ONLY = ()
ROUND_PAYLOAD = {
    "round_id": ("integer", "the match round"),
    "name": ("string", "its name"),
}
_COUNT = "integer"
RUN_STATS = {
    "students": (_COUNT, "students who gave preferences"),
    "slots": (_COUNT, "slots in the round"),
    "matched": (_COUNT, "students matched"),
    "unmatched": (_COUNT, "students left unmatched"),
    "first_choice": (_COUNT, "students matched to their first choice"),
    "first_choice_share": ("number", "their share of the students, 0..1"),
    "proposals": (_COUNT, "proposals the algorithm made"),
    "load_seconds": ("number", "seconds spent loading the round"),
    "solve_seconds": ("number", "seconds spent matching"),
    "run_seconds": ("number", "seconds the whole run took"),
    "skipped": (_COUNT, "assignments given no offer: the application was no longer live"),
    "not_open": (_COUNT, "assignments given no offer: the internship was no longer open"),
    "no_free_slot": (_COUNT, "assignments given no offer: no free slot was left"),
}
_REASON = {"reason": ("string", "the coordinator's reason")}

register(
    EventSpec(
        type="match_round.opened",
        description="A match round includes your internships: rank the students who chose them",
        recipients=_enterprise,
        title={"zh": "匹配轮次开始：{name}", "en": "Match round opened: {name}"},
        body={
            "zh": "匹配轮次「{name}」包含贵单位的实习岗位，学生志愿截止于 {preferences_close_at}，"
            "请为选择这些岗位的学生排序。",
            "en": "The match round {name} includes your internships. Students choose until "
            "{preferences_close_at}; please rank the students who chose them.",
        },
        payload={
            **ROUND_PAYLOAD,
            "preferences_close_at": ("string", "when students' choices close (ISO 8601, UTC)"),
        },
        org_kinds=ENTERPRISE,
        webhook_audience="each enterprise with internships in the round",
        webhook_description="A match round opened over some of the enterprise's internships",
    )
)
register(
    EventSpec(
        type="match_round.finished",
        description="A match round's run finished (or failed)",
        recipients=coordinators,
        title={"zh": "匹配运行结束：{name}", "en": "Match run finished: {name}"},
        body={
            "zh": "匹配轮次「{name}」状态：{status}；匹配 {matched}/{students} 名学生，"
            "稳定性检查：{stable}。{error}",
            "en": "Match round {name} is {status}: {matched} of {students} students matched, "
            "stability check: {stable}. {error}",
        },
        payload={
            **ROUND_PAYLOAD,
            "status": ("string", "`done` or `failed`"),
            "matched": ("integer or null", "students matched"),
            "students": ("integer or null", "students who gave preferences"),
            "stable": ("boolean or null", "whether the stability check passed"),
            "error": ("string or null", "why the run failed"),
        },
        org_kinds=PEOPLE_ONLY,
    )
)
register(
    EventSpec(
        type="match_round.published",
        description="The results of a match round you took part in are published",
        recipients=round_students,
        title={"zh": "匹配结果公布：{name}", "en": "Match results published: {name}"},
        body={
            "zh": "匹配轮次「{name}」的结果已公布，请查看您的分配结果及录用通知。",
            "en": "The results of the match round {name} are published: see your assignment "
            "and your offer.",
        },
        payload={**ROUND_PAYLOAD, **RUN_STATS},
        org_kinds=PEOPLE_ONLY,
    )
)
register(
    EventSpec(
        type="match_round.enterprise_results",
        description="A match round assigned students to your internships",
        recipients=_enterprise,
        title={"zh": "匹配结果：{name}", "en": "Match results: {name}"},
        body={
            "zh": "匹配轮次「{name}」为贵单位的 {slots} 个名额分配了 {assigned} 名学生，"
            "{unfilled} 个名额未满。",
            "en": "The match round {name} assigned {assigned} students to your {slots} slots; "
            "{unfilled} slots are unfilled.",
        },
        payload={
            **ROUND_PAYLOAD,
            "slots": (_COUNT, "the enterprise's slots in the round"),
            "assigned": (_COUNT, "students assigned to them (and offered)"),
            "unfilled": (_COUNT, "slots left unfilled"),
        },
        org_kinds=ENTERPRISE,
        webhook_audience="each enterprise with internships in the round",
        webhook_description="A match round's results were published: the enterprise's share",
    )
)
register(
    EventSpec(
        type="match_round.cancelled",
        description="A match round you gave preferences in was cancelled",
        recipients=round_students,
        title={"zh": "匹配轮次取消：{name}", "en": "Match round cancelled: {name}"},
        body={
            "zh": "匹配轮次「{name}」已取消，您的志愿不再有效。原因：{reason}",
            "en": "The match round {name} was cancelled; your preferences no longer count. "
            "Reason: {reason}",
        },
        payload={**ROUND_PAYLOAD, **_REASON},
        org_kinds=PEOPLE_ONLY,
    )
)
register(
    EventSpec(
        type="match_round.cancelled_enterprise",
        description="A match round that included your internships was cancelled",
        recipients=_enterprise,
        title={"zh": "匹配轮次取消：{name}", "en": "Match round cancelled: {name}"},
        body={
            "zh": "包含贵单位实习岗位的匹配轮次「{name}」已取消，这些岗位可用于新的轮次。"
            "原因：{reason}",
            "en": "The match round {name}, which included your internships, was cancelled; "
            "they can join a new round. Reason: {reason}",
        },
        payload={**ROUND_PAYLOAD, **_REASON},
        org_kinds=ENTERPRISE,
        webhook_audience="each enterprise with internships in the round",
        webhook_description="A match round over some of the enterprise's internships was cancelled",
    )
)
