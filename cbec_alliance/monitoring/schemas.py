"""Monitoring schemas: the download format and each summary's shape."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.exports import ChartArgs, TableArgs
from cbec_alliance.core.fields import FullMatch, UtcDateTime, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import OutSchema

_MONTH = r"\d{4}-(0[1-9]|1[0-2])"


class InternshipArgs(ChartArgs):
    """Also `?category=` (one job category) and `?from=YYYY-MM&to=YYYY-MM`."""

    category = text(40, min_len=1)
    from_ = ma.fields.String(data_key="from", validate=FullMatch(_MONTH, error=N_("not YYYY-MM")))
    to = ma.fields.String(validate=FullMatch(_MONTH, error=N_("not YYYY-MM")))

    @ma.validates_schema
    def _in_order(self, data, **_kw):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError("must not be after `to`", "from")


class Fresh(OutSchema):
    """What every monitoring summary states: when it was computed, and how stale it may be."""

    as_of = UtcDateTime(metadata={"description": "when the summary was computed"})
    refresh_interval_seconds = ma.fields.Integer(
        metadata={"description": "the summary is never older than this"}
    )
    compute_seconds = ma.fields.Float()


class OverviewSchema(Fresh):
    """Counts across the alliance."""

    organizations = ma.fields.List(ma.fields.Dict())
    partnerships = ma.fields.Dict()
    internships = ma.fields.Dict()
    courses = ma.fields.List(ma.fields.Dict())
    training_bases = ma.fields.List(ma.fields.Dict())
    competitions = ma.fields.Integer()
    students = ma.fields.Integer()


class GapRowSchema(OutSchema):
    """Demand, supply and gap."""

    code = ma.fields.String()
    label_zh = ma.fields.String()
    label_en = ma.fields.String()
    demand_slots = ma.fields.Integer()
    survey_weight = ma.fields.Integer()
    demand = ma.fields.Integer()
    supply_students = ma.fields.Integer()
    supply_seats = ma.fields.Integer()
    supply = ma.fields.Integer()
    gap = ma.fields.Integer()


SURVEY_ID = {
    "description": "the survey whose answers are the survey weight: the latest closed survey "
    "in which enterprises answered the `competencies` question (null: none, weight 0)"
}


class SkillsGapSchema(Fresh):
    """Per competency, largest gap first."""

    items = ma.fields.List(ma.fields.Nested(GapRowSchema))
    survey_id = ma.fields.Integer(allow_none=True, metadata=SURVEY_ID)


class LanguageGapArgs(ChartArgs):
    """Also `?level=` (1..5: postings asking for and students holding the language at that
    level or more; all levels when left out; the chart draws level 1 then) and
    `?district=`."""

    level = ma.fields.Integer(strict=False, validate=ma.validate.Range(min=1, max=5))
    district = text(40, min_len=1)


class LanguageGapRowSchema(OutSchema):
    """A language at a level (and, per district, in a district)."""

    level = ma.fields.Integer(metadata={"description": "N: asked for / held at level N or more"})
    district = ma.fields.String()
    district_zh = ma.fields.String()
    code = ma.fields.String()
    label_zh = ma.fields.String()
    label_en = ma.fields.String()
    postings = ma.fields.Integer(metadata={"description": "open postings asking for it"})
    demand = ma.fields.Integer(metadata={"description": "their open slots"})
    students = ma.fields.Integer(metadata={"description": "students holding it"})
    gap = ma.fields.Integer(metadata={"description": "demand - students"})


class LanguageGapSchema(Fresh):
    """Per language and level, for the alliance (`items`) and per district."""

    level = ma.fields.Integer(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(LanguageGapRowSchema))
    by_district = ma.fields.List(ma.fields.Nested(LanguageGapRowSchema))


class DistrictRowSchema(GapRowSchema):
    """A district: its totals over all competencies, and each competency in `competencies`."""

    enterprises = ma.fields.Integer(metadata={"description": "approved enterprises"})
    universities = ma.fields.Integer(metadata={"description": "approved universities"})
    open_internships = ma.fields.Integer()
    competencies = ma.fields.List(
        ma.fields.Nested(GapRowSchema),
        metadata={
            "description": "per competency in the district, largest gap first: demand from "
            "internships in the district and enterprises there answering the survey, supply "
            "from the students and courses of universities there"
        },
    )


class DistrictsSchema(Fresh):
    """Per Guangzhou district, the skills gap per competency and in total."""

    items = ma.fields.List(ma.fields.Nested(DistrictRowSchema))
    survey_id = ma.fields.Integer(allow_none=True, metadata=SURVEY_ID)


class InternshipRowSchema(OutSchema):
    """A category in a month."""

    category = ma.fields.String()
    month = ma.fields.String()
    posted = ma.fields.Integer()
    filled = ma.fields.Integer()
    hired = ma.fields.Integer()


class InternshipsSchema(Fresh):
    """Posted, filled and hired by category and month."""

    items = ma.fields.List(ma.fields.Nested(InternshipRowSchema))


_HEALTH = {
    "description": "`active`, `quiet`, `behind` or `ended` as of the last refresh; null for "
    "partnerships not yet (or never) active"
}


class _StatusHealthCount(OutSchema):
    """How many partnerships are in a status and health."""

    status = ma.fields.String()
    health = ma.fields.String(allow_none=True, metadata=_HEALTH)
    count = ma.fields.Integer()


class PartnershipRowSchema(_StatusHealthCount):
    """Partnerships of a mode in a status and health."""

    mode = ma.fields.String()
    label_zh = ma.fields.String()
    label_en = ma.fields.String()


class PartnershipDistrictRowSchema(_StatusHealthCount):
    """Partnerships with either side in a district, in a status and health."""

    district = ma.fields.String()
    label_zh = ma.fields.String()
    label_en = ma.fields.String()


class PartnershipUniversityRowSchema(_StatusHealthCount):
    """Partnerships of a university in a status and health."""

    university_id = ma.fields.Integer()
    name = ma.fields.String()
    district = ma.fields.String(allow_none=True)


class PartnershipsSummarySchema(Fresh):
    """Partnerships by status and health, per mode, district and university."""

    items = ma.fields.List(
        ma.fields.Nested(PartnershipRowSchema),
        metadata={
            "description": "per cooperation mode (a partnership counts in each of its modes)"
        },
    )
    by_district = ma.fields.List(
        ma.fields.Nested(PartnershipDistrictRowSchema),
        metadata={
            "description": "per Guangzhou district: a partnership counts in the district of "
            "each side (once when both are in one), as `GET /api/v1/partnerships?district=` "
            "finds it, so the districts can add up to more than the total"
        },
    )
    by_university = ma.fields.List(
        ma.fields.Nested(PartnershipUniversityRowSchema),
        metadata={"description": "per university with partnerships"},
    )


class PlacementArgs(TableArgs):
    """Also `?organization_id=`: one university's or enterprise's placements (coordinators
    and associations: any; staff: their own organization, the first one by default)."""

    organization_id = ma.fields.Integer(validate=ma.validate.Range(min=1))


class _Share(OutSchema):
    done = ma.fields.Integer()
    total = ma.fields.Integer()
    share = ma.fields.Float(allow_none=True, metadata={"description": "done / total"})


class _CheckInRate(_Share):
    working_days = ma.fields.Integer(metadata={"description": "Mon-Fri among the last 7 days"})


class PlacementsSummarySchema(Fresh):
    """Placements by state, district (the host's), university and enterprise; agreement and
    insurance completion of open placements; the check-in rate of the last 7 days; overdue
    weekly logs; open incidents by severity; compliance alerts by kind; terminations."""

    scope = ma.fields.Dict(allow_none=True, metadata={"description": "null: the whole alliance"})
    by_state = ma.fields.List(ma.fields.Dict())
    by_district = ma.fields.List(ma.fields.Dict())
    by_university = ma.fields.List(ma.fields.Dict())
    by_enterprise = ma.fields.List(ma.fields.Dict())
    agreement = ma.fields.Nested(_Share)
    insurance = ma.fields.Nested(_Share)
    check_in_rate_7d = ma.fields.Nested(_CheckInRate)
    overdue_logs = ma.fields.Dict(metadata={"description": "{weeks, placements}"})
    open_incidents = ma.fields.List(ma.fields.Dict())
    compliance_alerts = ma.fields.List(ma.fields.Dict())
    terminations = ma.fields.List(ma.fields.Dict())
