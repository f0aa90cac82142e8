"""How a domain's schemas list the documents attached to one of its objects."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.schemas import BaseSchema, OutSchema

# For a nullable nested brief, whose example the documentation cannot infer.
BRIEF_EXAMPLE = {"id": 42, "name": "简历-李娜.pdf", "type": "pdf", "size": 183_402}


class DocumentBriefSchema(OutSchema):
    """An attached document as lists show it: its id (for the download), name, type, size."""

    id = ma.fields.Integer()
    name = ma.fields.String(attribute="original_name", metadata={"example": "简历-李娜.pdf"})
    type = ma.fields.String(metadata={"example": "pdf"})
    size = ma.fields.Integer(metadata={"example": 183_402})


class AttachInSchema(BaseSchema):
    """`{document_id}`: one of the caller's uploads (`POST /api/v1/documents`)."""

    document_id = ma.fields.Integer(required=True, strict=True)
