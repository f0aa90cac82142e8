"""Demo industry indicators and last year's annual report for `flask demo-data`
(idempotent).

The indicators are the seed paper's figures (Guangzhou's CBEC import and export value in
2019 and in the first half of 2020; Guangdong's Jan-Oct 2020 value and its number of
CBEC-related enterprises), then three recent years of figures marked as demo figures, not
official statistics (their source says so). Last year's report is built in Chinese and in
English as a worker would build it, unless one of that year and language is built already.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.indicators.models import Indicator
from cbec_alliance.monitoring.employment import default_year
from cbec_alliance.reports import services as reports
from cbec_alliance.reports.models import AnnualReport

PAPER = "种子论文：广州跨境电商人才需求调查（引海关统计） seed paper, citing customs statistics"
DEMO = "演示数据（非官方统计） demo figures, not official statistics"
TRADE = ("cbec-trade-value", "跨境电商进出口额 CBEC import and export value", "亿元")
FIRMS = ("cbec-enterprises", "跨境电商相关企业数 CBEC-related enterprises", "家")
SURVEYED = ("alliance-survey-valid", "人才需求调查有效问卷 valid survey responses", "份")

SEEDED = [
    (TRADE, "440100", "2019", "385.9", PAPER),
    (TRADE, "440100", "2020-H1", "175.2", PAPER),
    (TRADE, "440000", "2020-YTD10", "1047.8", PAPER),
    (FIRMS, "440000", "2020-YTD10", "390000", PAPER),
    (SURVEYED, "440100", "2020", "148", PAPER),
]


def _recent(year: int) -> list[tuple]:
    """Three recent years of demo figures (growing as the paper's trend did)."""
    rows = []
    for k, y in enumerate(range(year - 3, year)):
        rows.append((TRADE, "440100", str(y), str(Decimal("1200") + 150 * k), DEMO))
        rows.append((FIRMS, "440100", str(y), str(52000 + 6000 * k), DEMO))
    return rows


def load_indicators() -> None:
    """The seed paper's figures and three demo years (rows already there stay as they are)."""
    stored = set(db.session.execute(sa.select(Indicator.code, Indicator.region, Indicator.period)))
    for (code, name, unit), region, period, value, source in SEEDED + _recent(default_year()):
        if (code, region, period) in stored:
            continue
        db.session.add(
            Indicator(
                code=code,
                name=name,
                region=region,
                period=period,
                year=int(period[:4]),
                value=Decimal(value),
                unit=unit,
                source=source,
            )
        )
    db.session.flush()


def build_last_years_report() -> None:
    """Last year's annual report, in Chinese and in English, unless built already."""
    year = default_year() - 1
    for language in ("zh", "en"):
        built = db.session.scalar(
            sa.select(AnnualReport.id).where(
                AnnualReport.year == year,
                AnnualReport.language == language,
                AnnualReport.status == "done",
            )
        )
        if built:
            continue
        report = AnnualReport(year=year, language=language, missing=[], seconds={})
        db.session.add(report)
        db.session.flush()
        reports.run(report.id)


def load() -> None:
    """Indicators, then last year's report (which reads them)."""
    load_indicators()
    build_last_years_report()
