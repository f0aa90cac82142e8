"""Match rounds for coordinators: every round with its state and, once run, its statistics;
close the preferences, run the matching, publish the offers, each through the matching
domain's own services (the same steps, refusals and audit as the API)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from cbec_alliance.core.authz import require_coordinator, require_monitor
from cbec_alliance.matching import publishing, results, steps
from cbec_alliance.matching import services as matching
from cbec_alliance.matching.schemas import RoundListArgs

from .web import carry_out, console_blueprint, page, parse, render, user

blp = console_blueprint("console_rounds", __name__, "/console/monitoring/match-rounds")

# The statistics a run records (matching/runner.py), in the order a coordinator reads them.
STATS = ("students", "slots", "matched", "unmatched", "first_choice", "first_choice_share")


def _steps() -> dict:
    return {
        "close-preferences": (
            lambda rnd: matching.close_preferences(user(), rnd),
            _("Preferences closed."),
        ),
        "run": (lambda rnd: matching.request_run(user(), rnd), _("The matching was started.")),
        "publish": (lambda rnd: publishing.publish(user(), rnd), _("The offers were published.")),
    }


@blp.get("/")
@page
def rounds():
    """Every match round, newest first, with its statistics once run."""
    require_monitor(user())
    args, _errors = parse(RoundListArgs(), request.args.to_dict())
    listing = results.rounds(args or {"page": 1, "per_page": 20}, user())
    return render(
        "console/monitoring/rounds.html",
        listing=listing,
        stats=STATS,
        args=args or {},
        coordinator=user().is_coordinator,
        allowed=steps.allowed,
        stat_names={
            "students": _("Students"),
            "slots": _("Slots"),
            "matched": _("Matched"),
            "unmatched": _("Not matched"),
            "first_choice": _("First choice"),
            "first_choice_share": _("First choice share"),
        },
    )


@blp.post("/<int:round_id>/<step>")
@page
def act(round_id: int, step: str):
    """Close the preferences, run or publish a round (coordinators)."""
    require_coordinator()
    known = _steps()
    if step not in known:
        return render("console/error.html", status=404, message=_("Unknown step.")), 404
    action, message = known[step]
    rnd = matching.lock(round_id)
    return carry_out(lambda: action(rnd), message, "console_rounds.rounds")
