"""Routes for the inbox, preferences, subscriptions and organization webhooks."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.errors import problem_doc
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import OutSchema, PageArgs, page_of
from cbec_alliance.notifications import docs, services
from cbec_alliance.notifications.schemas import (
    DeliverySchema,
    InboxArgs,
    NotificationSchema,
    PreferencesOutSchema,
    PreferencesSchema,
    SubscriptionCreateSchema,
    SubscriptionSchema,
    UnreadCountSchema,
    WebhookCreatedSchema,
    WebhookCreateSchema,
    WebhookEventsArgs,
    WebhookEventSchema,
    WebhookSchema,
)
from cbec_alliance.organizations.services import get_for_member

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1",
    description="Notifications: inbox, preferences, subscriptions, webhooks.\n\n"
    + docs.ENVELOPE_MARKDOWN,
)


class ReadAllSchema(OutSchema):
    """How many were marked read, and what is unread now (0)."""

    marked = ma.fields.Integer()
    unread = ma.fields.Integer()


@blp.route("/notifications")
class Inbox(MethodView):
    """My in-app notifications."""

    @login_required
    @blp.arguments(InboxArgs, location="query")
    @blp.response(200, page_of(NotificationSchema))
    def get(self, args):
        """My notifications, newest first; `?unread=true` for unread only."""
        return paginate(services.inbox(me(), args.get("unread")), args)


@blp.route("/notifications/unread-count")
class UnreadCount(MethodView):
    """The unread badge."""

    @login_required
    @blp.response(200, UnreadCountSchema)
    def get(self):
        """How many notifications are unread."""
        return {"unread": services.unread_count(me())}


@blp.route("/notifications/<int:notification_id>/read")
class MarkRead(MethodView):
    """Mark one read."""

    @login_required
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark one of my notifications read."""
        return services.mark_read(me(), notification_id)


@blp.route("/notifications/read-all")
class MarkAllRead(MethodView):
    """Mark all read."""

    @login_required
    @blp.response(200, ReadAllSchema)
    def post(self):
        """Mark every notification of mine read."""
        return {"marked": services.mark_all_read(me()), "unread": 0}


@blp.route("/notifications/preferences")
class Preferences(MethodView):
    """Channels per event type and digest."""

    @login_required
    @blp.response(200, PreferencesOutSchema)
    def get(self):
        """My effective preferences and the catalogue of event types."""
        return services.preferences(me())

    @login_required
    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesOutSchema)
    def put(self, data):
        """Replace my channels per event type and my digest (off, daily, weekly)."""
        return services.set_preferences(me(), data)


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    """Subscriptions to new internships."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(SubscriptionSchema))
    def get(self, args):
        """My subscriptions."""
        return paginate(services.subscriptions(me()), args)

    @login_required
    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, SubscriptionSchema)
    def post(self, data):
        """Subscribe (university staff and students): a new internship that fits notifies me."""
        return services.subscribe(me(), data)


@blp.route("/subscriptions/<int:subscription_id>")
class SubscriptionItem(MethodView):
    """One subscription."""

    @login_required
    @blp.response(204)
    def delete(self, subscription_id):
        """Unsubscribe."""
        services.unsubscribe(me(), subscription_id)


@blp.route("/webhooks/events")
class WebhookEvents(MethodView):
    """The catalogue of event types webhooks can receive."""

    @login_required
    @blp.arguments(WebhookEventsArgs, location="query")
    @blp.response(200, page_of(WebhookEventSchema), example=docs.EVENTS_EXAMPLE)
    def get(self, args):
        """Event types a webhook may subscribe to (`?kind=` for one organization kind), each
        with the organization kinds it reaches and the fields of its `data`."""
        return services.webhook_events(args.get("kind"), args["page"], args["per_page"])


@blp.route("/organizations/<int:org_id>/webhooks")
class Webhooks(MethodView):
    """An organization's webhooks (its admins)."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(WebhookSchema))
    def get(self, args, org_id):
        """The organization's webhooks (never their secrets)."""
        org = get_for_member(org_id, me(), roles=("admin",))
        return paginate(services.webhooks_of(org), args)

    @login_required
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema)
    @problem_doc(
        blp,
        422,
        description="A bad or internal `url`, or `events` naming a type this organization "
        "can never receive",
        detail="Validation failed for: events",
        errors={
            "events": [
                "internship.taken_down only reaches enterprise webhooks, not university ones"
            ]
        },
    )
    def post(self, data, org_id):
        """Register a webhook; the signing secret is shown only in this response.

        422 naming `events` for an event type an organization of this kind can never
        receive (see `GET /api/v1/webhooks/events?kind=`)."""
        org = get_for_member(org_id, me(), roles=("admin",))
        hook, _secret = services.create_webhook(me(), org, data)
        return hook  # the one response that includes `secret`


@blp.route("/organizations/<int:org_id>/webhooks/<int:webhook_id>")
class WebhookItem(MethodView):
    """One webhook."""

    @login_required
    @blp.response(204)
    def delete(self, org_id, webhook_id):
        """Delete a webhook."""
        org = get_for_member(org_id, me(), roles=("admin",))
        services.delete_webhook(me(), org, webhook_id)


@blp.route("/organizations/<int:org_id>/webhooks/<int:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    """A webhook's delivery log."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(DeliverySchema))
    def get(self, args, org_id, webhook_id):
        """Every delivery with every attempt (status code, error, duration)."""
        org = get_for_member(org_id, me(), roles=("admin",))
        return paginate(services.deliveries(services.get_webhook(org, webhook_id)), args)
