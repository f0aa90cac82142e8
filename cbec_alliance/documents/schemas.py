"""Documents in and out."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import TYPES

KIND = ma.fields.String(
    validate=ma.validate.Length(min=1, max=40),
    metadata={
        "description": "A registered kind of object (`resume`, `course_material`...)",
        "example": "course_material",
    },
)


class UploadSchema(BaseSchema):
    """The multipart body: the file, and optionally what to attach it to at once."""

    file = ma.fields.Raw(
        metadata={
            "type": "string",
            "format": "binary",
            "description": "The file (at most DOCUMENT_MAX_BYTES, 20 MiB by default); its "
            "type is read from its content",
        },
        required=True,
    )
    kind = KIND
    target_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1),
        metadata={"description": "With `kind`: the object to attach the upload to"},
    )


class AttachSchema(BaseSchema):
    """Attach a document of yours to an object."""

    kind = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=40),
        metadata={"example": "course_material"},
    )
    target_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))


class AttachedArgs(PageArgs):
    """`?kind=&target_id=`: the documents attached to one object."""

    kind = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=40),
        metadata={"example": "course_material"},
    )
    target_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))


class AttachmentSchema(OutSchema):
    """One object a document is attached to."""

    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"example": "course_material"})
    target_id = ma.fields.Integer()
    created_at = UtcDateTime()


class DocumentSchema(OutSchema):
    """A document's metadata (its bytes: `/content` or a signed link)."""

    id = ma.fields.Integer()
    name = ma.fields.String(
        attribute="original_name", metadata={"example": "2026级跨境电商实习协议.pdf"}
    )
    type = ma.fields.String(validate=ma.validate.OneOf(TYPES))
    content_type = ma.fields.String(metadata={"example": "application/pdf"})
    size = ma.fields.Integer(metadata={"example": 482133})
    sha256 = ma.fields.String()
    uploaded_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class DocumentDetailSchema(DocumentSchema):
    """A document with the objects it is attached to that the caller may see."""

    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), attribute="seen")


DocumentPage = page_of(DocumentSchema)


class LinkSchema(OutSchema):
    """A download link anyone holding it may use until it expires."""

    url = ma.fields.String(
        metadata={"example": "https://cbec-alliance.example/api/v1/documents/signed/eyJkIjo0Mn0.Z2"}
    )
    expires_at = UtcDateTime()
