"""Routes under /api/v1/threads: conversations between the parties of an object."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me

from . import listing, services
from .schemas import (
    MessageInSchema,
    MessageListArgs,
    MessagePage,
    MessageSchema,
    PlaceSchema,
    ReadInSchema,
    ReportedPage,
    ReportInSchema,
    ThreadInSchema,
    ThreadListArgs,
    ThreadPage,
    ThreadReportSchema,
    ThreadSchema,
    UnreadSchema,
)

blp = Blueprint(
    "threads",
    __name__,
    url_prefix="/api/v1/threads",
    description="Conversations on an application, a partnership, a course, a programme, a "
    "placement or a policy application, between its parties only",
)


@blp.route("")
class ThreadList(MethodView):
    """Your threads, and opening one."""

    @login_required
    @blp.arguments(ThreadListArgs, location="query")
    @blp.response(200, ThreadPage)
    def get(self, args):
        """Your threads with their unread counts, newest activity first (not those you left,
        nor those of objects you are no longer a party of)."""
        return listing.threads(me(), args)

    @login_required
    @blp.arguments(ThreadInSchema)
    @blp.response(201, ThreadSchema)
    @blp.alt_response(200, schema=ThreadSchema, description="the object already had its thread")
    def post(self, data):
        """Post a first message on an object, opening its thread (201) or in the one it has
        (200: one thread per object, even when two parties open it at once). Its parties
        take part: 404 for anyone else, and for an object that does not exist."""
        thread, created = services.open_thread(me(), data)
        return services.detail(me(), thread), 201 if created else 200


@blp.route("/unread")
class Unread(MethodView):
    """Your unread total."""

    @login_required
    @blp.response(200, UnreadSchema)
    def get(self):
        """How many messages you have not read in your threads, and in how many."""
        return listing.unread_total(me())


@blp.route("/reported")
class Reported(MethodView):
    """Threads with reports of abuse."""

    @login_required
    @blp.arguments(ThreadListArgs, location="query")
    @blp.response(200, ReportedPage)
    def get(self, args):
        """Reported threads with their reports, most recently reported first (coordinators
        only; reading one of them is audited)."""
        return listing.reported(me(), args)


@blp.route("/<int:thread_id>")
class ThreadItem(MethodView):
    """One thread."""

    @login_required
    @blp.response(200, ThreadSchema)
    def get(self, thread_id):
        """The thread, your place in it and who takes part. 404 unless you are a party of
        its object (or a coordinator and abuse was reported in it: the read is audited)."""
        return services.detail(me(), services.get_readable(me(), thread_id, "thread"))


@blp.route("/<int:thread_id>/messages")
class Messages(MethodView):
    """A thread's messages."""

    @login_required
    @blp.arguments(MessageListArgs, location="query")
    @blp.response(200, MessagePage)
    def get(self, args, thread_id):
        """Messages oldest first, each with its author and documents: by page, or those
        after a message id (`after`). Up to 1,000 a page."""
        # Straight to JSON (written by PostgreSQL where it runs): a page of 1,000 dumped
        # through the schema, which documents the body, took longer than reading it.
        thread = services.get_readable(me(), thread_id, "messages")
        return listing.messages_response(thread, args)

    @login_required
    @blp.arguments(MessageInSchema)
    @blp.response(201, MessageSchema)
    def post(self, data, thread_id):
        """Post a message (1 to 10,000 characters) with your own uploads attached; the
        other participants are notified. Posting in a thread you left rejoins it."""
        thread = services.get_for_party(me(), thread_id, lock=True)
        return services.post(me(), thread, data["body"], data.get("document_ids") or [])


@blp.route("/<int:thread_id>/read")
class Read(MethodView):
    """Marking messages read."""

    @login_required
    @blp.arguments(ReadInSchema)
    @blp.response(200, PlaceSchema)
    def post(self, data, thread_id):
        """Read up to a message of the thread, or all of it; the marker never moves back."""
        thread = services.get_for_party(me(), thread_id)
        return services.mark_read(me(), thread, data.get("message_id"))


@blp.route("/<int:thread_id>/leave")
class Leave(MethodView):
    """Leaving a thread."""

    @login_required
    @blp.response(200, PlaceSchema)
    def post(self, thread_id):
        """Leave: the thread leaves your list and you hear of no new message. You may still
        read it; posting in it again rejoins."""
        return services.leave(me(), services.get_for_party(me(), thread_id))


@blp.route("/<int:thread_id>/reports")
class Reports(MethodView):
    """Reporting abuse."""

    @login_required
    @blp.arguments(ReportInSchema)
    @blp.response(201, ThreadReportSchema)
    def post(self, data, thread_id):
        """Report abuse in a thread you take part in: coordinators may then read it (each
        read audited)."""
        return services.report(me(), services.get_for_party(me(), thread_id), data["reason"])
