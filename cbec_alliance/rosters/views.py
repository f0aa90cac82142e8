"""Routes under /api/v1/organizations/{id}/roster-imports: a university's student roster."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint

from cbec_alliance.accounts.auth import me
from cbec_alliance.core.exports import DOWNLOADS
from cbec_alliance.destinations.schemas import ImportFileSchema

from . import files, services
from .schemas import ReportArgs, ReportRowSchema, RosterImportSchema, TemplateArgs

blp = Blueprint(
    "rosters",
    __name__,
    url_prefix="/api/v1/organizations/<int:org_id>/roster-imports",
    description="A university's staff import their students from an xlsx or csv roster",
)


@blp.route("")
class RosterImports(MethodView):
    """Roster imports of a university."""

    @login_required
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(202, RosterImportSchema)
    def post(self, files_, org_id):
        """Upload a roster (xlsx or csv; columns 姓名 name, 学号 student_number, 邮箱 email,
        专业 major, 毕业年份 graduation_year, headers in Chinese or English; at most 50,000
        rows); its admins and staff. A task creates the accounts, memberships and profiles
        and emails each new student an invitation to set a password; poll the import for
        its progress and row-by-row outcome. The same file again creates nothing."""
        return services.start(me(), org_id, files_.get("file"))


@blp.route("/template")
class RosterTemplate(MethodView):
    """The roster template."""

    @login_required
    @blp.arguments(TemplateArgs, location="query")
    @blp.doc(responses=DOWNLOADS)
    def get(self, args, org_id):
        """The empty roster with its columns in Chinese and English (xlsx: a second sheet
        lists the majors); its admins and staff."""
        services.university_of_staff(me(), org_id)
        return files.template(args["format"])


@blp.route("/<int:import_id>")
class RosterImportItem(MethodView):
    """One roster import."""

    @login_required
    @blp.response(200, RosterImportSchema)
    def get(self, org_id, import_id):
        """Its status (queued, running, done, failed), rows done of total, the count of
        each outcome and every invalid row with the column and reason."""
        return services.get_import(me(), org_id, import_id)


@blp.route("/<int:import_id>/report")
class RosterImportReport(MethodView):
    """What became of each row."""

    @login_required
    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, ReportRowSchema(many=True))
    @blp.doc(responses=DOWNLOADS)
    def get(self, args, org_id, import_id):
        """Every row: created, already_member, invited (an existing account asked to join)
        or invalid (with the column and reason); `?format=csv|xlsx` downloads it."""
        job = services.get_import(me(), org_id, import_id)
        if args["format"] != "json":
            return files.report_download(job.report or [], args["format"], f"roster-{job.id}")
        return job.report or []
