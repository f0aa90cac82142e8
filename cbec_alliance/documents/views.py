"""Routes under /api/v1/documents: upload, metadata, download, signed links, attachments."""

from __future__ import annotations

from flask import Response, request, url_for
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.wsgi import wrap_file

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import disposition
from cbec_alliance.core.guards import allow_body
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs

from . import links, services, uploads
from .models import Document
from .schemas import (
    AttachedArgs,
    AttachmentSchema,
    AttachSchema,
    DocumentDetailSchema,
    DocumentPage,
    LinkSchema,
    UploadSchema,
)
from .storage import CHUNK, storage

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/v1/documents",
    description="Files (résumés, agreements, logs, course materials, competition entries), "
    "seen by whoever sees what they are attached to",
)

# A multipart body of a file and form fields, parsed and documented as one (flask-smorest's
# `files` and `form` locations each document a whole request body: the last would win).
blp.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
    **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
    "multipart": "multipart/form-data",
}


@blp.ARGUMENTS_PARSER.location_loader("multipart")
def _load_multipart(req, schema):
    return MultiDictProxy(CombinedMultiDict([req.form, req.files]), schema)


CONTENT = {
    200: {
        "description": "The file, as an attachment (`filename` and UTF-8 `filename*`), "
        "with its detected type, `X-Content-Type-Options: nosniff` and the SHA-256 as ETag.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _detail(document: Document) -> Document:
    document.seen = services.seen_attachments(_viewer(), document)  # type: ignore[attr-defined]
    return document


def _content(document: Document) -> Response:
    """The stored bytes, streamed, as a download never shown inline."""
    if document.sha256 in request.if_none_match:
        response = Response(status=304)
    else:
        # The server's file wrapper: sendfile for a local file, chunked reads for S3.
        body = wrap_file(request.environ, storage().open(document.storage_key), CHUNK)
        response = Response(body, content_type=document.content_type, direct_passthrough=True)
        response.content_length = document.size
        response.headers["Content-Disposition"] = disposition(document.original_name)
    response.set_etag(document.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("")
class Documents(MethodView):
    """Uploads, and the documents attached to one object."""

    @login_required
    @blp.arguments(UploadSchema, location="multipart")
    @blp.response(201, DocumentDetailSchema)
    def post(self, data):
        """Upload a file (multipart: `file`; at most DOCUMENT_MAX_BYTES, 20 MiB by default,
        413 above). Its type is read from its content, never its name: PDF, PNG, JPEG, GIF,
        WebP, Word/Excel/PowerPoint (OOXML, legacy and ODF), zip and UTF-8 text; anything
        else (an executable, a script) is 422, and so is a zip that would expand past 200
        MiB, compresses over 100:1 or holds unsafe paths or other archives. With `kind` and
        `target_id` the upload is attached at once. An upload never attached is deleted
        after DOCUMENT_ORPHAN_HOURS (24)."""
        user = me()
        document = uploads.upload(user, data["file"], data.get("kind"), data.get("target_id"))
        return _detail(document)

    @login_required
    @blp.arguments(AttachedArgs, location="query")
    @blp.response(200, DocumentPage)
    def get(self, args):
        """The documents attached to one object you may see or that is public
        (`?kind=&target_id=`), the last attached first; 404 for an object you may not see.
        (Nobody signed in reads a public object's documents one by one, by id.)"""
        return paginate(services.attached_listing(me(), args["kind"], args["target_id"]), args)


allow_body("documents.Documents", "DOCUMENT_MAX_BYTES")


@blp.route("/mine")
class MyDocuments(MethodView):
    """The caller's uploads."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DocumentPage)
    def get(self, args):
        """Your uploads, newest first."""
        return paginate(services.uploads_of(me()), args)


@blp.route("/<int:document_id>")
class DocumentItem(MethodView):
    """One document."""

    @blp.response(200, DocumentDetailSchema)
    def get(self, document_id):
        """Its metadata and the objects it is attached to that you may see: its uploader
        and whoever may see one of those objects (404 for anyone else; nobody signed in:
        401 unless it is attached to a public object)."""
        return _detail(services.get_readable(_viewer(), document_id))

    @login_required
    @blp.response(204)
    def delete(self, document_id):
        """Delete it and its attachments (its uploader; 403 for others who see it); the
        stored bytes go once the deletion is committed."""
        uploads.delete(me(), services.get_visible(me(), document_id))


@blp.route("/<int:document_id>/content")
class DocumentContent(MethodView):
    """A document's bytes."""

    @blp.doc(responses=CONTENT)
    def get(self, document_id):
        """Download it (who may: as for its metadata). `If-None-Match` with its SHA-256:
        304."""
        return _content(services.get_readable(_viewer(), document_id))


@blp.route("/<int:document_id>/link")
class DocumentLink(MethodView):
    """Signed download links."""

    @login_required
    @blp.response(201, LinkSchema)
    def post(self, document_id):
        """A link anyone holding it may download the document with, without logging in,
        for DOCUMENT_LINK_SECONDS (300)."""
        token, expires_at = links.sign(services.get_visible(me(), document_id))
        url = url_for("documents.SignedContent", token=token, _external=True)
        return {"url": url, "expires_at": expires_at}


@blp.route("/signed/<string:token>")
class SignedContent(MethodView):
    """A download by signed link."""

    @blp.doc(security=[], responses=CONTENT)
    def get(self, token):
        """The document a link names (the link is the credential): 410 once expired, 404
        when tampered with or the document is gone."""
        return _content(links.open_link(token))


@blp.route("/<int:document_id>/attachments")
class DocumentAttachments(MethodView):
    """Attaching a document to objects."""

    @login_required
    @blp.arguments(AttachSchema)
    @blp.response(201, AttachmentSchema)
    def post(self, data, document_id):
        """Attach your upload to an object you may attach to (idempotent): 404 for an object
        you may not see, 403 for one you see but may not attach to, 422 for someone else's
        upload or a type the kind refuses."""
        return services.attach(me(), document_id, data["kind"], data["target_id"])


@blp.route("/<int:document_id>/attachments/<int:attachment_id>")
class DocumentAttachment(MethodView):
    """One attachment."""

    @login_required
    @blp.response(204)
    def delete(self, document_id, attachment_id):
        """Detach: the uploader, or whoever may attach to that object."""
        uploads.remove_attachment(me(), services.get_visible(me(), document_id), attachment_id)
