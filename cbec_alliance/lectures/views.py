"""Routes under /api/v1/events: lectures, job fairs and workshops."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import services
from .schemas import (
    CancelSchema,
    EventCreateSchema,
    EventListArgs,
    EventPage,
    EventPatchSchema,
    EventSchema,
    RegistrationPage,
    RegistrationSchema,
)

blp = Blueprint(
    "lectures", __name__, url_prefix="/api/v1", description="Lectures, job fairs and workshops"
)


CREATE_EXAMPLE = {
    "kind": "lecture",
    "host_organization_id": 12,
    "university_id": 3,
    "title": "跨境电商品牌出海讲座",
    "speaker": "张总",
    "location": "广州大学城 B201",
    "district": "panyu",
    "starts_at": "2027-03-10T06:00:00Z",
    "capacity": 120,
}
CREATED_EXAMPLE = {
    **CREATE_EXAMPLE,
    "id": 41,
    "description": None,
    "ends_at": "2027-03-10T08:00:00Z",
    "registered_count": 0,
    "status": "scheduled",
    "cancel_reason": None,
    "created_at": "2027-02-20T02:30:00Z",
}


@blp.route("/events")
class Events(MethodView):
    """Events of the alliance."""

    @blp.doc(security=[])
    @blp.arguments(EventListArgs, location="query")
    @blp.response(200, EventPage)
    def get(self, args):
        """Upcoming scheduled events, soonest first (filters combine)."""
        return paginate(services.listing(args), args)

    @login_required
    @blp.arguments(EventCreateSchema, example=CREATE_EXAMPLE)
    @blp.response(201, EventSchema, example=CREATED_EXAMPLE)
    def post(self, data):
        """Host an event (the organization's admins and staff).

        `ends_at` is optional: without it the event ends two hours after `starts_at`
        (the response shows the end it got); when given it must come after the start (422).
        """
        return services.create(me(), data)


@blp.route("/events/<int:event_id>")
class EventItem(MethodView):
    """One event."""

    @blp.doc(security=[])
    @blp.response(200, EventSchema)
    def get(self, event_id):
        """An event with its seats taken."""
        return services.get(event_id)

    @login_required
    @blp.arguments(EventPatchSchema)
    @blp.response(200, EventSchema)
    def patch(self, data, event_id):
        """Change a scheduled event (the host)."""
        return services.update(me(), services.get(event_id), data)


@blp.route("/events/<int:event_id>/cancel")
class EventCancel(MethodView):
    """Call an event off."""

    @login_required
    @blp.arguments(CancelSchema)
    @blp.response(200, EventSchema)
    def post(self, data, event_id):
        """Cancel with a reason (the host); registrants are told."""
        return services.cancel(me(), services.get(event_id), data["reason"])


@blp.route("/events/<int:event_id>/registrations")
class Registrations(MethodView):
    """Seats at an event."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RegistrationPage)
    def get(self, args, event_id):
        """Who registered (the host, coordinators)."""
        return paginate(services.registrations(me(), services.get(event_id)), args)

    @login_required
    @blp.response(201, RegistrationSchema)
    def post(self, event_id):
        """Register (before the start, never beyond capacity)."""
        return services.register(me(), services.get(event_id))


@blp.route("/events/<int:event_id>/registrations/mine")
class MyRegistration(MethodView):
    """The caller's seat."""

    @login_required
    @blp.response(204)
    def delete(self, event_id):
        """Give the seat back (before the start)."""
        services.unregister(me(), services.get(event_id))


@blp.route("/events/<int:event_id>/registrations/<int:user_id>/check-in")
class CheckIn(MethodView):
    """Attendance."""

    @login_required
    @blp.response(200, RegistrationSchema)
    def post(self, event_id, user_id):
        """Mark a registered person present (the host; from an hour before the start)."""
        return services.check_in(me(), services.get(event_id), user_id)
