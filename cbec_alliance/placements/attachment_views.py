"""Routes of the documents attached to a placement's agreement and to its weekly logs."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me
from cbec_alliance.documents.briefs import AttachInSchema, DocumentBriefSchema

from . import access, attached
from .blueprint import blp


@blp.route("/placements/<int:placement_id>/agreement/attachments")
class AgreementAttachments(MethodView):
    """Scans of the signed agreement."""

    @login_required
    @blp.response(200, DocumentBriefSchema(many=True))
    def get(self, placement_id):
        """The scans (the parties, the mentors, coordinators)."""
        return attached.agreement_documents(me(), access.get_visible(placement_id, me()))

    @login_required
    @blp.arguments(AttachInSchema)
    @blp.response(201, DocumentBriefSchema(many=True))
    def post(self, data, placement_id):
        """Attach one of my uploads (the student, either side's staff, a mentor)."""
        placement = access.get_visible(placement_id, me())
        return attached.attach_agreement(me(), placement, data["document_id"])


@blp.route("/placements/<int:placement_id>/agreement/attachments/<int:document_id>")
class AgreementAttachment(MethodView):
    """One scan."""

    @login_required
    @blp.response(204)
    def delete(self, placement_id, document_id):
        """Remove it (whoever attached it)."""
        placement = access.get_visible(placement_id, me())
        attached.detach_agreement(me(), placement, document_id)


@blp.route("/placements/<int:placement_id>/logs/<int:log_id>/attachments")
class LogAttachments(MethodView):
    """Files of a weekly log."""

    @login_required
    @blp.response(200, DocumentBriefSchema(many=True))
    def get(self, placement_id, log_id):
        """The files (the student, both mentors, coordinators)."""
        return attached.log_documents(me(), placement_id, log_id)

    @login_required
    @blp.arguments(AttachInSchema)
    @blp.response(201, DocumentBriefSchema(many=True))
    def post(self, data, placement_id, log_id):
        """Attach one of my uploads (the student, before the log's first review)."""
        return attached.attach_log(me(), placement_id, log_id, data["document_id"])


@blp.route("/placements/<int:placement_id>/logs/<int:log_id>/attachments/<int:document_id>")
class LogAttachment(MethodView):
    """One file of a log."""

    @login_required
    @blp.response(204)
    def delete(self, placement_id, log_id, document_id):
        """Remove it (the student, before the log's first review)."""
        attached.detach_log(me(), placement_id, log_id, document_id)
