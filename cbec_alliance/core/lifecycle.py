"""One shape for every lifecycle: verbs, the states each starts from, the state it leads to.

Each domain declares its table once (`Lifecycle({...})`) and asks it for the next state;
a verb refused in the current state is a 409 whose text names the allowed next steps (and,
given `waiting_for`, whom the step waits for), written in one place, `core.errors`.

The table's order is the order in which allowed steps are listed. `enabling` says which
steps would first have to happen for a refused one to become possible (whom it waits for);
`waiting_for` may be given as a function, called only when the step is refused, so finding
the waiting parties costs nothing on the way through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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

    def __iter__(self) -> Iterator[str]:
        return iter(self.steps)

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

    def enabling(self, status: str, verb: str) -> list[str]:
        """The verbs from `status` that lead to a state `verb` may start from (what has to
        happen first), in table order."""
        wanted = self.steps[verb].sources
        return [v for v in self.allowed(status) if self.steps[v].target in wanted]

    def target(
        self,
        status: str,
        verb: str,
        *,
        party: str | None = None,
        waiting_for: Sequence[Waiting] | Callable[[], Sequence[Waiting]] = (),
        allowed: Iterable[str] | None = None,
    ) -> str:
        """The state `verb` leads to from `status`.

        Raises WrongParty when the verb is another party's; answers 409 naming the allowed
        next steps (those of `party` when given, or `allowed`) and whom the step waits for
        (`waiting_for`, or what it returns) when it may not follow `status`.
        """
        step = self.steps[verb]
        if party is not None and step.party not in (None, party):
            raise WrongParty(verb, step.party)
        if status not in step.sources:
            steps = self.allowed(status, party) if allowed is None else allowed
            waits = waiting_for() if callable(waiting_for) else waiting_for
            wrong_step(verb, status, steps, waits)
        return step.target
