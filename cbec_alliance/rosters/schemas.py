"""Roster import schemas: the upload, the job as the client polls it, and its report."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.exports import TableArgs
from cbec_alliance.core.fields import UtcDateTime
from cbec_alliance.core.schemas import BaseSchema, OutSchema
from cbec_alliance.destinations.schemas import ImportErrorSchema

from .models import OUTCOMES, STATES


class TemplateArgs(BaseSchema):
    """`?format=xlsx|csv` (xlsx unless asked)."""

    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("xlsx", "csv")))


class ReportArgs(TableArgs):
    """`?format=json|csv|xlsx` for the row-by-row report."""


class RosterImportSchema(OutSchema):
    """A roster import: its state, progress, counts and the invalid rows with their reasons."""

    id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    filename = ma.fields.String()
    status = ma.fields.String(attribute="state", metadata={"enum": list(STATES)})
    rows_total = ma.fields.Integer()
    rows_done = ma.fields.Integer()
    created = ma.fields.Integer(
        metadata={"description": "new accounts: a member, a profile, an invitation each"}
    )
    already_member = ma.fields.Integer()
    invited = ma.fields.Integer(
        metadata={"description": "existing accounts invited to join (they accept logged in)"}
    )
    invalid = ma.fields.Integer()
    errors = ma.fields.Function(
        lambda job: ImportErrorSchema(many=True).dump(
            [r for r in job.report or [] if r["outcome"] == "invalid"]
        ),
        metadata={"description": "each invalid row: row number, the column, the reason"},
    )
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class ReportRowSchema(OutSchema):
    """What became of one row of the file."""

    row = ma.fields.Integer(metadata={"description": "the file's row number (header: row 1)"})
    outcome = ma.fields.String(metadata={"enum": list(OUTCOMES)})
    name = ma.fields.String(allow_none=True)
    student_number = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    user_id = ma.fields.Integer(allow_none=True)
    field = ma.fields.String(allow_none=True)
    message = ma.fields.String(allow_none=True)
