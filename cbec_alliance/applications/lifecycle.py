"""The application lifecycle as a pure state machine: who may move it, from where to where.

submitted -> shortlisted -> offered -> accepted -> completed      (enterprise / student)
submitted | shortlisted | offered -> rejected                     (enterprise)
offered -> declined                                               (student)
submitted | shortlisted | offered | accepted -> withdrawn         (student; accepted only
                                                                   before the start date)
"""

from __future__ import annotations

# verb -> (the party who may use it, states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "shortlist": ("enterprise", ("submitted",), "shortlisted"),
    "offer": ("enterprise", ("submitted", "shortlisted"), "offered"),
    "reject": ("enterprise", ("submitted", "shortlisted", "offered"), "rejected"),
    "complete": ("enterprise", ("accepted",), "completed"),
    "accept": ("student", ("offered",), "accepted"),
    "decline": ("student", ("offered",), "declined"),
    "withdraw": ("student", ("submitted", "shortlisted", "offered", "accepted"), "withdrawn"),
}
ACTIVE = ("submitted", "shortlisted", "offered", "accepted")
FINAL = ("completed", "rejected", "declined", "withdrawn")
# Applications that hold a slot of their internship (an accepted student keeps it to the end).
PLACED = ("accepted", "completed")
# An offer, by an enterprise or by a match round's publication, starts only from these.
OFFER_FROM = TRANSITIONS["offer"][1]


class WrongParty(Exception):
    """The verb belongs to the other side of the application."""


class WrongStep(Exception):
    """The verb is not allowed in the current state; `allowed` lists what is."""

    def __init__(self, allowed: list[str]):
        super().__init__(allowed)
        self.allowed = allowed


def allowed_verbs(status: str, party: str) -> list[str]:
    """The verbs `party` may use from `status`, in a stable order."""
    return [v for v, (p, sources, _) in TRANSITIONS.items() if p == party and status in sources]


def unblocking(status: str, verb: str, party: str) -> tuple[str, list[str]] | None:
    """The other party and its verbs from `status` after which `party` may use `verb`
    (a student's accept waits for the enterprise's offer), or None when none would."""
    needed = TRANSITIONS[verb][1]
    for other in ("enterprise", "student"):
        if other == party:
            continue
        verbs = [v for v in allowed_verbs(status, other) if TRANSITIONS[v][2] in needed]
        if verbs:
            return other, verbs
    return None


def step(status: str, verb: str, party: str) -> str:
    """The state `verb` leads to from `status` for `party`; raises WrongParty or WrongStep."""
    owner, sources, target = TRANSITIONS[verb]
    if owner != party:
        raise WrongParty(verb)
    if status not in sources:
        raise WrongStep(allowed_verbs(status, party))
    return target
