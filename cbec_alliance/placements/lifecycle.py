"""The placement lifecycle as a `core.lifecycle` table.

preparing -> active -> completed
preparing | active | suspended -> terminated     (any party, with a reason)
active -> suspended -> active                    (a critical incident opened / resolved)

`activate` is further gated by the placement rules (agreement signed, insurance, mentors,
start date reached): refused with 409 naming each missing piece (`placements.rules`).
"""

from __future__ import annotations

from cbec_alliance.core.lifecycle import Lifecycle, Step

LIFECYCLE = Lifecycle(
    {
        "activate": Step(("preparing",), "active"),
        "complete": Step(("active",), "completed"),
        "terminate": Step(("preparing", "active", "suspended"), "terminated"),
        "suspend": Step(("active",), "suspended"),
        "resume": Step(("suspended",), "active"),
    }
)
STATES = ("preparing", "active", "suspended", "completed", "terminated")
# Placements a mentor is answerable for: they count towards the mentor's load.
OPEN = ("preparing", "active", "suspended")
FINAL = ("completed", "terminated")
# Terms may change (voiding signatures) only while the placement is being prepared.
EDITABLE = ("preparing",)
TERMINATION_REASONS = (
    "student_request",
    "enterprise_request",
    "university_request",
    "safety",
    "misconduct",
    "health",
    "rules_breached",
    "other",
)
PARTIES = ("student", "university", "enterprise")
MENTOR_ROLES = ("school", "enterprise")
