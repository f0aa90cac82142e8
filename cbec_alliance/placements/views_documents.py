"""Routes of a placement's documents: the agreement and its signatures, insurance, grades,
the completion certificate, and the public check of a certificate's code."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_login import login_required

from cbec_alliance.accounts.auth import me

from . import access, agreements, completion, insurance
from .blueprint import PDF, blp, pdf_response
from .examples import AGREEMENT_EXAMPLE, INSURANCE_EXAMPLE, SIGN_EXAMPLE
from .schemas import (
    AgreementSchema,
    CoverageSchema,
    GradeInSchema,
    GradeSchema,
    InsuranceInSchema,
    InsuranceSchema,
    SignatureInSchema,
    VerificationSchema,
)


@blp.route("/placements/<int:placement_id>/agreement")
class AgreementItem(MethodView):
    """The current agreement."""

    @login_required
    @blp.response(200, AgreementSchema, example=AGREEMENT_EXAMPLE)
    def get(self, placement_id):
        """The exact text (Chinese, then English), its SHA-256, the signatures, and the
        parties still to sign. A change of terms makes a new version."""
        return agreements.detail(access.get_visible(placement_id, me()))


@blp.route("/placements/<int:placement_id>/agreement/signatures")
class Signatures(MethodView):
    """Signing the agreement."""

    @login_required
    @blp.arguments(SignatureInSchema, example=SIGN_EXAMPLE)
    @blp.response(201, AgreementSchema)
    def post(self, data, placement_id):
        """Sign the current text as the student, the university or the enterprise (their
        staff), or record a guardian's consent (`party: guardian`, `guardian_name`; by the
        student or the university, for a student under 18). `sha256` is the hash of the
        text read: another hash is a 409 (the text changed). Who, when and from which
        address are recorded. 403 for anyone who is not a party."""
        placement = access.get_for_update(placement_id, me())
        agreements.sign(me(), placement, data, request.remote_addr)
        return agreements.detail(placement)


@blp.route("/placements/<int:placement_id>/agreement.pdf")
class AgreementPdf(MethodView):
    """The agreement as a PDF."""

    @login_required
    @blp.response(200)
    @blp.doc(responses=PDF)
    def get(self, placement_id):
        """The current agreement typeset (Chinese and English) with its signatures and the
        SHA-256 of its text on every page; marked a draft until every party has signed."""
        placement = access.get_visible(placement_id, me())
        data = agreements.pdf(placement, agreements.current(placement))
        return pdf_response(data, f"agreement-{placement.id}")


@blp.route("/placements/<int:placement_id>/insurance")
class Insurance(MethodView):
    """The placement's liability insurance."""

    @login_required
    @blp.response(200, CoverageSchema)
    def get(self, placement_id):
        """The policies, whether they cover every day, and the first day they do not."""
        return insurance.coverage(access.get_visible(placement_id, me()))

    @login_required
    @blp.arguments(InsuranceInSchema, example=INSURANCE_EXAMPLE)
    @blp.response(201, InsuranceSchema)
    def post(self, data, placement_id):
        """Record a policy (university or enterprise staff). Cover ending before the
        placement does is flagged to both sides a week ahead (beat)."""
        return insurance.add(me(), access.get_for_update(placement_id, me()), data)


@blp.route("/placements/<int:placement_id>/grades")
class Grades(MethodView):
    """The mentors' final grades."""

    @login_required
    @blp.response(200, GradeSchema(many=True))
    def get(self, placement_id):
        """The grades given so far (school, enterprise)."""
        placement = access.get_visible(placement_id, me())
        return list(completion.grades(placement).values())

    @login_required
    @blp.arguments(
        GradeInSchema,
        example={"score": 88, "ratings": [{"code": "customer-service", "level": 4}]},
    )
    @blp.response(201, GradeSchema)
    def post(self, data, placement_id):
        """Grade the active placement 0..100 with competency ratings, once, as its school or
        enterprise mentor (403 for anyone else)."""
        return completion.grade(me(), access.get_for_update(placement_id, me()), data)


@blp.route("/placements/<int:placement_id>/certificate.pdf")
class CertificatePdf(MethodView):
    """The completion certificate."""

    @login_required
    @blp.response(200)
    @blp.doc(responses=PDF)
    def get(self, placement_id):
        """The certificate of a completed placement, with its verification code."""
        placement = access.get_visible(placement_id, me())
        return pdf_response(completion.certificate_pdf(placement), f"certificate-{placement.id}")


@blp.route("/placements/verify/<string:code>")
class Verify(MethodView):
    """Check a certificate's code (public)."""

    @blp.response(200, VerificationSchema, example={"code": "7K2MXQ9RTV4WHP3N", "valid": True})
    @blp.doc(security=[])
    def get(self, code):
        """`valid: true` when the code is a completed placement's certificate, 404 otherwise;
        nothing about the student, the places or the grade is told."""
        return completion.verify(code)
