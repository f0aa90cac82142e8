"""Errors raised by services and views; the Api renders them as problem+json.

Messages are catalogue msgids, translated here into the request's language: a literal passed
to a helper is extracted by the keywords in cbec_alliance/translations/babel.cfg (`conflict`,
`not_found`, `invalid:2`...); a message with values is `_("... %(name)s", name=...)`, which
comes in translated and passes through unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from flask_babel import gettext as _

# flask-smorest's `abort` is this one, re-exported without its types (NoReturn).
from webargs.flaskparser import abort
from werkzeug.http import HTTP_STATUS_CODES

from cbec_alliance.core.api import PROBLEM_MIMETYPE, ProblemSchema
from cbec_alliance.core.i18n import N_

# The kinds of party a step waits for, as `Waiting.who` names them.
PARTIES = (
    N_("enterprise"),
    N_("university"),
    N_("government"),
    N_("student"),
    N_("coordinator"),
    N_("worker"),
)


@dataclass(frozen=True)
class Waiting:
    """A party a lifecycle step waits for, and what it must do first.

    `party` is the kind of party (`enterprise`, `university`, `student`, `coordinator`,
    `worker`); `name` and `id` say which one when it is a single known one.
    """

    party: str
    action: str
    name: str | None = None
    id: int | None = None

    @classmethod
    def org(cls, org, action: str) -> Waiting:
        """An organization (anything with `kind`, `name` and `id`) that must `action`."""
        return cls(party=org.kind, action=action, name=org.name, id=org.id)

    def who(self) -> str:
        """Say who: 某某公司 (enterprise 12), the student 王芳 (user 7), a coordinator."""
        if self.name and self.id is not None:
            if self.party == "student":
                return _("the student %(name)s (user %(id)s)", name=self.name, id=self.id)
            return _("%(name)s (%(kind)s %(id)s)", name=self.name, kind=_(self.party), id=self.id)
        return _(self.name) if self.name else _("a %(party)s", party=_(self.party))

    def as_member(self) -> dict:
        """The problem's `waiting_for` item."""
        return {"party": self.party, "id": self.id, "name": self.name, "action": self.action}


def waiting_text(waits: Sequence[Waiting]) -> str:
    """The phrase naming the parties, grouped by what they must do, in the order given:
    `waiting for A (enterprise 1) and B (enterprise 2) to confirm`."""
    actions: dict[str, list[str]] = {}
    for wait in waits:
        actions.setdefault(wait.action, []).append(wait.who())
    parts = []
    for action, names in actions.items():
        joined = (
            names[0]
            if len(names) == 1
            else _("%(first)s and %(last)s", first=_(", ").join(names[:-1]), last=names[-1])
        )
        parts.append(_("%(who)s to %(action)s", who=joined, action=_(action)))
    return _("waiting for %(parties)s", parties=_(", then ").join(parts))


def not_found(what: str = "resource") -> NoReturn:
    """404: missing, or not visible to the caller (never reveal which)."""
    abort(404, message=_("%(what)s not found", what=_(what)))


def forbidden(detail: str = N_("You are not allowed to do this."), **extra) -> NoReturn:
    """403: logged in but not allowed (`extra`: extra members, such as the unmet condition)."""
    if extra:
        abort(403, message=_(detail), extra=extra)
    abort(403, message=_(detail))


def gone(detail: str) -> NoReturn:
    """410: the thing existed but is no longer usable (a spent or expired one-time token)."""
    abort(410, message=detail)


def conflict(detail: str, **extra) -> NoReturn:
    """409: a state conflict such as a duplicate or a full capacity (`extra`: extra members)."""
    if extra:
        abort(409, message=_(detail), extra=extra)
    abort(409, message=_(detail))


def waiting_on(detail: str, waits: Sequence[Waiting], next_steps: str, **extra) -> NoReturn:
    """409 for a step blocked until others act: "<detail>: waiting for …; allowed next
    steps: …", with the parties in the `waiting_for` member."""
    conflict(
        _(
            "%(detail)s: %(waiting)s; allowed next steps: %(steps)s",
            detail=_(detail),
            waiting=waiting_text(waits),
            steps=_(next_steps),
        ),
        waiting_for=[w.as_member() for w in waits],
        **extra,
    )


def wrong_step(
    action: str, state: str, allowed: Iterable[str], waiting_for: Sequence[Waiting] = ()
) -> NoReturn:
    """409 for a lifecycle action not allowed in `state`, naming the allowed next steps and,
    when the action waits for another party (`waiting_for`), whom and for what."""
    steps = sorted(allowed)
    allowed_txt = ", ".join(steps) if steps else _("none")
    if waiting_for:
        waiting_on(
            _("cannot %(action)s while %(state)s", action=_(action), state=state),
            waiting_for,
            allowed_txt,
        )
    abort(
        409,
        message=_(
            "cannot %(action)s while %(state)s; allowed next steps: %(steps)s",
            action=_(action),
            state=state,
            steps=allowed_txt,
        ),
    )


def invalid(field: str, message: str) -> NoReturn:
    """422 naming one field."""
    abort(
        422, message=_("Validation failed for: %(fields)s", fields=field), errors={field: [message]}
    )


def invalid_fields(detail: str, errors: dict[str, list[str]]) -> NoReturn:
    """422 naming several fields (each with its messages) under one `detail`."""
    abort(422, message=_(detail), errors=errors)


def problem_doc(blp, status: int, description: str, detail: str, **members):
    """Decorator documenting an error response of a view with an example problem body."""
    example = {
        "type": f"https://cbec-alliance.example/problems/{status}",
        "title": HTTP_STATUS_CODES[status],
        "status": status,
        "detail": detail,
        **members,
    }
    return blp.alt_response(
        status,
        schema=ProblemSchema,
        content_type=PROBLEM_MIMETYPE,
        description=description,
        example=example,
    )
