"""The match round's lifecycle steps: what may follow each status, and whom a refused step
waits for."""

from __future__ import annotations

from flask_babel import gettext as _

from cbec_alliance.core.errors import Waiting, wrong_step
from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow

from .models import MatchRound

# The coordinators' steps, in the order a 409 lists them. A run hands the round to a worker,
# which moves it on from running to done or failed (runner.py); a follow-up is a new round
# over what is left, and the published round stays published.
LIFECYCLE = Lifecycle(
    {
        "run": Step(("collecting", "done", "failed"), "running", "coordinator"),
        "publish": Step(("done",), "published", "coordinator"),
        "cancel": Step(("collecting", "done", "failed"), "cancelled", "coordinator"),
        "follow-up": Step(("published",), "published", "coordinator"),
    }
)
# Steps that become possible once a run finishes (a follow-up after its publication too).
AFTER_RUN = ("run", "publish", "cancel", "create a follow-up round")


def waits(rnd: MatchRound, action: str) -> list[Waiting]:
    """Whom `action`, refused in the round's status, waits for (none when it never comes)."""
    publish = Waiting("coordinator", "publish the round")
    follow_up = action == "create a follow-up round"
    if rnd.status == "running" and action in AFTER_RUN:
        worker = Waiting("worker", "finish the run", name=_("the matching worker"))
        return [worker, publish] if follow_up else [worker]
    if rnd.status == "collecting" and action in ("publish", "create a follow-up round"):
        close_at = as_utc(rnd.preferences_close_at)
        action_text = (
            _("run the round once preferences close at %(close_at)s", close_at=iso_z(close_at))
            if utcnow() < close_at
            else _("run the round")
        )
        run = Waiting("coordinator", action_text)
        return [run, publish] if follow_up else [run]
    if rnd.status == "failed" and action in ("publish", "create a follow-up round"):
        rerun = Waiting("coordinator", "run the round again")
        return [rerun, publish] if follow_up else [rerun]
    if rnd.status == "done" and follow_up:
        return [publish]
    return []


def allowed(rnd: MatchRound) -> list[str]:
    """The steps that may follow the round's status, in table order."""
    return LIFECYCLE.allowed(rnd.status)


def take(rnd: MatchRound, verb: str) -> str:
    """The status `verb` leads the round to; 409 naming the allowed next steps and whom the
    step waits for when its status does not allow it."""
    return LIFECYCLE.target(rnd.status, verb, waiting_for=lambda: waits(rnd, verb))


def wrong_round_step(action: str, rnd: MatchRound) -> None:
    """409 for `action` (a step, or another change only a collecting round allows) refused in
    the round's status: the allowed next steps and whom the action waits for."""
    wrong_step(action, rnd.status, allowed(rnd), waits(rnd, action))
