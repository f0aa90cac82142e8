"""The enterprise's webhooks (its admins): the list, a new one (its signing secret shown
this once) and deleting one, through notifications.services with the API's schema."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs
from cbec_alliance.notifications import services as notifications
from cbec_alliance.notifications.schemas import WebhookCreateSchema
from cbec_alliance.organizations.models import Organization

from .enterprise_web import blp, enterprise_of
from .web import attempt, done, form_values, page, parse, render, user

ADMINS = ("admin",)


@blp.route("/<int:org_id>/webhooks", methods=["GET", "POST"])
@page
def webhooks(org_id: int):
    """The enterprise's webhooks and the form for a new one (admins only)."""
    org = enterprise_of(org_id, ADMINS)
    if request.method == "GET":
        return _page(org, {"events": []})
    values = form_values(("url", "secret"), lists=("events",))
    data, errors = parse(WebhookCreateSchema(), values)
    message = None
    if data is not None:
        created, message, errors = attempt(lambda: notifications.create_webhook(user(), org, data))
        if created is not None:
            hook, secret = created
            return _page(org, {"events": []}, created=hook, secret=secret, status=201)
    values.setdefault("events", [])
    return _page(org, values, errors, message or _("Check the fields marked."), 422)


@blp.post("/<int:org_id>/webhooks/<int:webhook_id>/delete")
@page
def delete_webhook(org_id: int, webhook_id: int):
    """Delete one of the enterprise's webhooks."""
    org = enterprise_of(org_id, ADMINS)
    hook = notifications.get_webhook(org, webhook_id)
    notifications.delete_webhook(user(), org, hook.id)
    return done(
        _("Webhook deleted: %(url)s", url=hook.url), "console_enterprise.webhooks", org_id=org.id
    )


def _page(
    org: Organization,
    values: dict,
    errors: dict | None = None,
    message: str | None = None,
    status: int = 200,
    **shown,
):
    args, _errors = parse(PageArgs(), request.args.to_dict())
    args = args or {"page": 1, "per_page": 20}
    listing = paginate(notifications.webhooks_of(org), args)
    events = notifications.webhook_events(org.kind, 1, 100)["items"]
    body = render(
        "console/enterprise/webhooks.html",
        org=org,
        listing=listing,
        events=events,
        values=values,
        errors=errors or {},
        message=message,
        **shown,
    )
    return body, status
