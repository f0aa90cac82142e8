"""Routes of an apprentice's three-party agreement, under /api/v1/programmes."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.fields import FullMatch, UtcDateTime
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema

from . import agreements, services

blp = Blueprint(
    "apprenticeship_agreements",
    __name__,
    url_prefix="/api/v1/programmes",
    description="The three-party apprenticeship agreement (现代学徒制三方协议)",
)
PATH = "/<int:programme_id>/members/<int:student_id>/agreement"


class _Signature(OutSchema):
    party = ma.fields.String()
    signer_id = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String()
    signed_at = UtcDateTime()


class ApprenticeshipAgreementSchema(OutSchema):
    """The text, its SHA-256, who signed and who has still to."""

    id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    text = ma.fields.String()
    sha256 = ma.fields.String()
    signatures = ma.fields.List(ma.fields.Nested(_Signature))
    missing_parties = ma.fields.List(ma.fields.String())
    signed_at = UtcDateTime(allow_none=True)


class SignApprenticeshipSchema(BaseSchema):
    """`{sha256}` of the text the signer read."""

    sha256 = ma.fields.String(
        required=True, validate=FullMatch(r"^[0-9a-f]{64}$", error=N_("64 lower-case hex digits"))
    )

    class Meta:
        example = {"sha256": "9f2c" + "0" * 60}


@blp.route(PATH)
class Agreement(MethodView):
    """An admitted apprentice's agreement."""

    @login_required
    @blp.response(200, ApprenticeshipAgreementSchema)
    def get(self, programme_id, student_id):
        """The agreement (the apprentice, the university, the enterprise, coordinators; 404
        for anyone else, and for members of order classes and industry colleges)."""
        programme = services.get_visible(programme_id, me())
        agreement, _party = agreements.get(me(), programme, student_id)
        return agreements.detail(agreement)


@blp.route(f"{PATH}/sign")
class Sign(MethodView):
    """A party's signature."""

    @login_required
    @blp.arguments(SignApprenticeshipSchema)
    @blp.response(200, ApprenticeshipAgreementSchema)
    def post(self, data, programme_id, student_id):
        """Sign for the caller's party over the SHA-256 of the text read (409 when the text
        is not that one, or the party signed already); when all three have signed, the
        agreement is in force (`signed_at`)."""
        programme = services.get_visible(programme_id, me())
        return agreements.sign(me(), programme, student_id, data["sha256"], request.remote_addr)
