"""The application lifecycle as a `core.lifecycle` table: who may move it, from where to where.

submitted -> shortlisted -> offered -> accepted -> completed      (enterprise / student)
submitted | shortlisted | offered -> rejected                     (enterprise)
offered -> declined                                               (student)
submitted | shortlisted | offered | accepted -> withdrawn         (student; accepted only
                                                                   before the start date)
"""

from __future__ import annotations

from cbec_alliance.core.lifecycle import Lifecycle, Step

LIFECYCLE = Lifecycle(
    {
        "shortlist": Step(("submitted",), "shortlisted", "enterprise"),
        "offer": Step(("submitted", "shortlisted"), "offered", "enterprise"),
        "reject": Step(("submitted", "shortlisted", "offered"), "rejected", "enterprise"),
        "complete": Step(("accepted",), "completed", "enterprise"),
        "accept": Step(("offered",), "accepted", "student"),
        "decline": Step(("offered",), "declined", "student"),
        "withdraw": Step(
            ("submitted", "shortlisted", "offered", "accepted"), "withdrawn", "student"
        ),
    }
)
ACTIVE = ("submitted", "shortlisted", "offered", "accepted")
FINAL = ("completed", "rejected", "declined", "withdrawn")
# Applications that hold a slot of their internship (an accepted student keeps it to the end).
PLACED = ("accepted", "completed")
# An offer, by an enterprise or by a match round's publication, starts only from these.
OFFER_FROM = LIFECYCLE["offer"].sources
