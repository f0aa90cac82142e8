"""One shape for every lifecycle: verbs, the states each starts from, the state it leads to.

Each domain declares its table once (`Lifecycle({...})`) and asks it for the next state;
a verb refused in the current state is a 409 whose text names the allowed next steps (and,
given `waiting_for`, whom the step waits for), written in one place, `core.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cbec_alliance.core.errors import Waiting, wrong_step


@dataclass(frozen=True)
class Step:
    """A verb: the states it may start from, the state it leads to, and (optionally) the one
    party that may take it, in the domain's own words (`student`, `enterprise`, ...)."""

    sources: tuple[str, ...]
    target: str
    party: str | None = None


class WrongParty(Exception):
    """The verb belongs to another party; the domain decides what that answers (403)."""

    def __init__(self, verb: str, party: str | None):
        super().__init__(verb)
        self.verb = verb
        self.party = party


class Lifecycle:
    """A table of steps, and the one way to take one."""

    def __init__(self, steps: dict[str, Step]) -> None:
        self.steps = steps

    def __contains__(self, verb: str) -> bool:
        return verb in self.steps

    def __getitem__(self, verb: str) -> Step:
        return self.steps[verb]

    def allowed(self, status: str, party: str | None = None) -> list[str]:
        """The verbs that may follow `status` (for `party`, when given), in table order."""
        return [
            verb
            for verb, step in self.steps.items()
            if status in step.sources and (party is None or step.party in (None, party))
        ]

    def can(self, status: str, verb: str) -> bool:
        """True when `verb` may follow `status`."""
        return status in self.steps[verb].sources

    def target(
        self,
        status: str,
        verb: str,
        *,
        party: str | None = None,
        waiting_for: Sequence[Waiting] = (),
        allowed: Iterable[str] | None = None,
    ) -> str:
        """The state `verb` leads to from `status`.

        Raises WrongParty when the verb is another party's; answers 409 naming the allowed
        next steps (those of `party` when given, or `allowed`) and whom the step waits for
        when it may not follow `status`.
        """
        step = self.steps[verb]
        if party is not None and step.party not in (None, party):
            raise WrongParty(verb, step.party)
        if status not in step.sources:
            steps = self.allowed(status, party) if allowed is None else allowed
            wrong_step(verb, status, steps, waiting_for)
        return step.target
