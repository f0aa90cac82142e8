"""Routes under /api/v1/certificate-exams, /certificate-records and /certificates/verify."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs
from cbec_alliance.extensions import limiter

from . import results, services
from .schemas import (
    CertificateVerificationSchema,
    ExamCancelSchema,
    ExamCreateSchema,
    ExamListArgs,
    ExamPage,
    ExamSchema,
    RecordPage,
    ResultListSchema,
    ResultsSchema,
    SeatPage,
    SeatSchema,
    VerifyArgs,
)

blp = Blueprint(
    "careers",
    __name__,
    url_prefix="/api/v1",
    description="1+X certificate exams, results, records and their verification",
)


@blp.route("/certificate-exams")
class Exams(MethodView):
    """Exam sittings."""

    @blp.doc(security=[])
    @blp.arguments(ExamListArgs, location="query")
    @blp.response(200, ExamPage)
    def get(self, args):
        """Scheduled sittings from today on, soonest first (filters combine)."""
        return paginate(services.listing(args), args)

    @login_required
    @blp.arguments(ExamCreateSchema)
    @blp.response(201, ExamSchema)
    def post(self, data):
        """Schedule a sitting (the site's admins and staff): a catalogued certificate at a
        level it is awarded at, after today, at a university or an enterprise's training base."""
        return services.create(me(), data)


@blp.route("/certificate-exams/<int:exam_id>")
class ExamItem(MethodView):
    """One sitting."""

    @blp.doc(security=[])
    @blp.response(200, ExamSchema)
    def get(self, exam_id):
        """A sitting with its seats taken."""
        return services.get(exam_id)


@blp.route("/certificate-exams/<int:exam_id>/cancel")
class ExamCancel(MethodView):
    """Call a sitting off."""

    @login_required
    @blp.arguments(ExamCancelSchema)
    @blp.response(200, ExamSchema)
    def post(self, data, exam_id):
        """Cancel before any result (the site); registrants are told."""
        return services.cancel(me(), services.get(exam_id), data["reason"])


@blp.route("/certificate-exams/<int:exam_id>/registrations")
class Seats(MethodView):
    """Seats at a sitting."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SeatPage)
    def get(self, args, exam_id):
        """Who registered, with their results (the site, coordinators)."""
        return paginate(services.registrations(me(), services.get(exam_id)), args)

    @login_required
    @blp.response(201, SeatSchema)
    def post(self, exam_id):
        """Register (students; until the day before the exam, never beyond capacity)."""
        return services.register(me(), services.get(exam_id))


@blp.route("/certificate-exams/<int:exam_id>/registrations/mine")
class MySeat(MethodView):
    """The caller's seat."""

    @login_required
    @blp.response(204)
    def delete(self, exam_id):
        """Give the seat back (until the day before the exam)."""
        services.unregister(me(), services.get(exam_id))


@blp.route("/certificate-exams/<int:exam_id>/results")
class Results(MethodView):
    """Results of a sitting."""

    @login_required
    @blp.arguments(ResultsSchema)
    @blp.response(200, ResultListSchema)
    def post(self, data, exam_id):
        """Enter scores (the site, from the exam day on). A pass issues a certificate record
        with its number, listed as verified on the student's profile. A student not
        registered, or with a result already, is a 409 and nothing is stored."""
        return {"items": results.enter_results(me(), services.get(exam_id), data["results"])}


@blp.route("/certificate-records/mine")
class MyRecords(MethodView):
    """The caller's certificates."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RecordPage)
    def get(self, args):
        """Certificate records issued to the caller, newest first."""
        return paginate(results.records_of(me()), args)


@blp.route("/certificates/verify")
class Verify(MethodView):
    """Check a certificate record (public, rate-limited)."""

    decorators = [limiter.limit(lambda: _verify_limit())]

    @blp.doc(security=[])
    @blp.arguments(VerifyArgs, location="query")
    @blp.response(
        200,
        CertificateVerificationSchema,
        example={
            "valid": True,
            "number": "CBEC-2027-7K2MXQ9RTV",
            "certificate_code": "cbec-b2b-data-operation",
            "certificate": "跨境电商B2B数据运营",
            "level": "intermediate",
            "issued_on": "2027-06-20",
        },
    )
    def get(self, args):
        """`valid: true` when the number belongs to a record issued to that name; 404 for
        any mismatch, so nothing is learned about numbers or names that do not match. At most
        `VERIFY_RATE_LIMIT` checks per client address (429 with Retry-After beyond)."""
        return results.verify(args["number"], args["name"])


def _verify_limit() -> str:
    from flask import current_app

    return current_app.config["VERIFY_RATE_LIMIT"]
