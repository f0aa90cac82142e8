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


def step(status: str, verb: str, party: str) -> str:
    """The state `verb` leads to from `status` for `party`; raises WrongParty or WrongStep."""
    owner, sources, target = TRANSITIONS[verb]
    if owner != party:
        raise WrongParty(verb)
    if status not in sources:
        raise WrongStep(allowed_verbs(status, party))
    return target
