"""Routes under /api/v1/destinations: reports, the employer's confirmation, bulk imports."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.pagination import paginate

from . import imports, services
from .models import OUTCOME_LABELS, SALARY_BANDS
from .regions import REGIONS
from .schemas import (
    DESTINATION_EXAMPLE,
    ConfirmationArgs,
    DestinationInSchema,
    DestinationListArgs,
    DestinationPageSchema,
    DestinationPatchSchema,
    DestinationSchema,
    DisputeSchema,
    ImportArgs,
    ImportFileSchema,
    ImportSchema,
    VocabularySchema,
)

blp = Blueprint(
    "destinations",
    __name__,
    url_prefix="/api/v1/destinations",
    description="Graduate destinations: reported by universities and students, confirmed by "
    "alliance employers",
)


@blp.route("")
class Destinations(MethodView):
    """Destinations."""

    @login_required
    @blp.arguments(DestinationListArgs, location="query")
    @blp.response(200, DestinationPageSchema)
    def get(self, args):
        """The destinations the caller may see: their own (students), their university's
        students' (its staff), those naming their enterprise (its staff); all for
        coordinators and associations. Newest first."""
        return services.shape_page(paginate(services.listing(me(), args), args))

    @login_required
    @blp.arguments(DestinationInSchema, example=DESTINATION_EXAMPLE)
    @blp.response(201, DestinationSchema)
    def post(self, data):
        """Report a destination: a university's staff for one of its students
        (`student_id`; another university's student is a 404), or a student for themself.
        One per student and year (409). An alliance employer (by id, or found by the credit
        code) is asked to confirm."""
        return services.shape(services.create(me(), data))


@blp.route("/vocabulary")
class Vocabulary(MethodView):
    """The codes a destination uses."""

    @login_required
    @blp.response(200, VocabularySchema)
    def get(self):
        """Outcomes (zh and en), salary bands (monthly yuan) and GB/T 2260 location codes."""
        return {
            "outcomes": [
                {"code": c, "name_zh": zh, "name_en": en} for c, (zh, en) in OUTCOME_LABELS.items()
            ],
            "salary_bands": list(SALARY_BANDS),
            "locations": [
                {"code": c, "name_zh": zh, "name_en": en} for c, (zh, en) in REGIONS.items()
            ],
        }


@blp.route("/confirmations")
class Confirmations(MethodView):
    """An enterprise's confirmations."""

    @login_required
    @blp.arguments(ConfirmationArgs, location="query")
    @blp.response(200, DestinationPageSchema)
    def get(self, args):
        """Destinations naming the caller's enterprises, `?state=pending` (default),
        `confirmed` or `disputed`; the staff of alliance enterprises only (403)."""
        return services.shape_page(paginate(services.confirmations(me(), args), args))


@blp.route("/<int:destination_id>")
class DestinationItem(MethodView):
    """One destination."""

    @login_required
    @blp.response(200, DestinationSchema)
    def get(self, destination_id):
        """The destination: its student, their university's staff, the employer's staff and
        overseers; 404 for anyone else."""
        return services.shape(services.get_visible(destination_id, me()))

    @login_required
    @blp.arguments(DestinationPatchSchema)
    @blp.response(200, DestinationSchema)
    def patch(self, data, destination_id):
        """Change it (the student or their university's staff); a new outcome or employer,
        or a disputed one, asks the employer again."""
        dest = services.get_visible(destination_id, me())
        return services.shape(services.update(me(), dest, data))


@blp.route("/<int:destination_id>/confirm")
class Confirm(MethodView):
    """The employer confirms."""

    @login_required
    @blp.response(200, DestinationSchema)
    def post(self, destination_id):
        """pending -> confirmed, by the employer's staff (403 for others who see it; 409 when
        not pending)."""
        dest = services.get_visible(destination_id, me())
        return services.shape(services.confirm(me(), dest))


@blp.route("/<int:destination_id>/dispute")
class Dispute(MethodView):
    """The employer disputes."""

    @login_required
    @blp.arguments(DisputeSchema)
    @blp.response(200, DestinationSchema)
    def post(self, data, destination_id):
        """pending -> disputed with a `reason` (422 without), by the employer's staff; the
        student and their university's staff are told."""
        dest = services.get_visible(destination_id, me())
        return services.shape(services.dispute(me(), dest, data["reason"]))


@blp.route("/imports")
class Imports(MethodView):
    """Bulk imports."""

    @login_required
    @blp.arguments(ImportArgs, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(202, ImportSchema)
    def post(self, args, files):
        """Upload an xlsx (`file`, multipart; first sheet, a header row naming the columns
        in English or Chinese: student_id 学生ID or student_email 学生邮箱, graduation_year
        毕业年份, outcome 去向, employer_id 单位ID, employer_name 单位名称, employer_uscc
        统一社会信用代码, location_code 地区代码, industry 行业, cbec_related 跨境电商相关,
        related_to_major 专业相关, salary_band 月薪区间). It runs as a task: poll the job.
        With a bad row nothing is imported unless `?partial=true`, then the good rows are;
        every bad row is listed with its reason either way. Not an xlsx: 422 `file`."""
        return imports.start(me(), files.get("file"), args)


@blp.route("/imports/<int:import_id>")
class ImportItem(MethodView):
    """One import."""

    @login_required
    @blp.response(200, ImportSchema)
    def get(self, import_id):
        """The import's state (queued, running, done, failed), rows done of total, rows
        imported and every bad row (row number, field, reason); its university's staff."""
        return imports.get_import(me(), import_id)
