"""Policy applications for their reviewers (coordinators, the issuing government body's
admins and staff): the queue by state, each with its eligibility evidence, and the reviewer's
steps (approve an amount, ask for more, reject with a reason, record the payment), each
through the policies service (its budget counter, its checks, its audit)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from cbec_alliance.core.authz import require_monitor
from cbec_alliance.core.pagination import paginate
from cbec_alliance.organizations.models import Organization
from cbec_alliance.policies import applications
from cbec_alliance.policies.applications import LIFECYCLE
from cbec_alliance.policies.models import Policy
from cbec_alliance.policies.schemas import (
    PolicyApplicationListArgs,
    PolicyApproveSchema,
    PolicyDisburseSchema,
    PolicyReasonSchema,
)

from .labels import names_of
from .web import attempt, console_blueprint, done, form_values, page, parse, render, user

blp = console_blueprint("console_policies", __name__, "/console/monitoring/policy-applications")
# The reviewer's steps: the form each takes (the API's schema) and its field.
STEPS = {
    "approve": (PolicyApproveSchema, ("amount",)),
    "request-info": (PolicyReasonSchema, ("reason",)),
    "reject": (PolicyReasonSchema, ("reason",)),
    "disburse": (PolicyDisburseSchema, ("reference",)),
}
STATES = ("submitted", "more_info_requested", "approved", "rejected", "disbursed", "withdrawn")


@blp.get("/")
@page
def queue():
    """The applications the caller reviews, by state (submitted first)."""
    require_monitor(user())
    args, errors = parse(
        PolicyApplicationListArgs(), {"state": "submitted", **request.args.to_dict()}
    )
    args = args or {"state": "submitted", "page": 1, "per_page": 20}
    listing = paginate(applications.listing(args, user()), args)
    items = listing["items"]
    return render(
        "console/monitoring/policy_applications.html",
        listing=listing,
        errors=errors,
        state=args.get("state", ""),
        states=[(s, s) for s in STATES],
        orgs=names_of(Organization, [a.organization_id for a in items], Organization.name),
        policies=names_of(Policy, [a.policy_id for a in items], Policy.title),
        next_steps={a.id: LIFECYCLE.allowed(a.state, "reviewer") for a in items},
    )


@blp.post("/<int:application_id>/<step>")
@page
def act(application_id: int, step: str):
    """One reviewer's step on an application, through the service."""
    if step not in STEPS:
        return render("console/error.html", status=404, message=_("Unknown step.")), 404
    found = applications.get_visible(application_id, user())
    schema, fields = STEPS[step]
    data, errors = parse(schema(), form_values(fields))
    back = url_for("console_policies.queue", state=found.state)
    if data is None:
        for name, messages in errors.items():
            flash(f"#{application_id} {name}: {' '.join(messages)}", "error")
        return redirect(back, code=303)
    _result, refused, _fields = attempt(lambda: applications.act(user(), found, step, data))
    if refused:
        flash(f"#{application_id}: {refused}", "error")
        return redirect(back, code=303)
    return done(
        _("Application #%(id)s: %(state)s.", id=application_id, state=found.state),
        "console_policies.queue",
        state=found.state,
    )
