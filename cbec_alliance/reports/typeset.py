"""The annual report as a typeset PDF (core.pdf.Document: the bundled CJK font, page numbers,
a table of contents), in Chinese or English, with charts drawn by core.exports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from cbec_alliance.core.exports import bar_chart
from cbec_alliance.core.pdf import Document
from cbec_alliance.insights.skills_gap import vocabulary_labels
from cbec_alliance.surveys import report as survey_report

from .sections import SECTIONS

ROWS = 25  # rows of a long table in the PDF; the xlsx has them all
WORDS = {
    "title": ("{year} 年跨境电商教育联盟年度报告", "CBEC Education Alliance Annual Report {year}"),
    "subtitle": (
        "生成于 {built}（供协调机构、政府部门与行业协会使用）",
        "Built {built} (for coordinators, government bodies and the association)",
    ),
    "contents": ("目录", "Contents"),
    "summary": ("概要", "Summary"),
    "missing": ("本年度缺少的数据：", "Missing for this year:"),
    "complete": ("本年度各部分数据齐全。", "Every section has data for this year."),
    "as_of": ("截至 {as_of} 的联盟状态。", "The alliance as of {as_of}."),
    "more": (
        "（仅列前 {n} 行，共 {total} 行；完整数据见 xlsx。）",
        "(First {n} of {total} rows; all in the xlsx.)",
    ),
    "survey_line": (
        "{year} 年调查：发放 {distributed} 份，回收 {received} 份，有效 {responses} 份"
        "（无效 {invalid} 份），有效回收率 {response_rate}%。",
        "{year} survey: {distributed} distributed, {received} received, {responses} valid "
        "({invalid} invalid), a valid response rate of {response_rate}%.",
    ),
    "compared": (
        "与 {year} 年调查（有效 {responses} 份）对比。",
        "Compared with the {year} survey ({responses} valid).",
    ),
    "option": ("选项", "Option"),
    "count": ("数量", "Count"),
    "percent": ("比例%", "Percent"),
    "previous": ("上年%", "Last year %"),
    "change": ("变化", "Change"),
    "group": ("分组", "Group"),
    "responses": ("有效问卷", "Valid responses"),
    "mode": ("合作模式", "Mode"),
    "total": ("合计", "Total"),
    "status": ("状态", "Status"),
    "health": ("健康度", "Health"),
    "category": ("岗位类别", "Category"),
    "posted": ("发布", "Posted"),
    "filled": ("招满", "Filled"),
    "hired": ("录用", "Hired"),
    "item": ("项目", "Item"),
    "value": ("数值", "Value"),
    "university": ("院校", "University"),
    "enterprise": ("企业", "Enterprise"),
    "converted": ("实习转就业", "Converted"),
    "graduates": ("毕业生", "Graduates"),
    "placed": ("去向落实", "Placed"),
    "rate": ("落实率", "Rate"),
    "confirmed": ("单位核实", "Confirmed"),
    "competency": ("能力", "Competency"),
    "demand": ("需求", "Demand"),
    "supply": ("供给", "Supply"),
    "gap": ("缺口", "Gap"),
    "level": ("级别", "Level"),
    "indicator": ("指标", "Indicator"),
    "region": ("地区", "Region"),
    "period": ("期间", "Period"),
    "unit": ("单位", "Unit"),
    "source": ("来源", "Source"),
    "kind": ("政策类别", "Policy kind"),
    "amount": ("批准金额", "Amount approved"),
    "disbursed": ("拨付金额", "Disbursed"),
    "applications": ("申请", "Applications"),
    "approved": ("批准", "Approved"),
    "courses": ("课程（按状态）", "Courses by status"),
    "bases": ("已批准实训基地（按级别）", "Approved training bases by level"),
    "competitions": ("竞赛总数：{n}", "Competitions: {n}"),
    "placements": ("实习安置（按状态）", "Placements by state"),
    "by_size": ("按企业规模", "By enterprise size"),
    "by_platform": ("按销售平台", "By sales platform"),
}

# Partnership states and health, as the report names them.
STATES = {
    "active": ("生效/活跃", "active"),
    "quiet": ("沉寂", "quiet"),
    "behind": ("落后于目标", "behind"),
    "ended": ("已结束", "ended"),
    "none": ("未评估", "not evaluated"),
    "proposed": ("待确认", "proposed"),
    "suspended": ("暂停", "suspended"),
    "declined": ("已拒绝", "declined"),
}


class Writer:
    """One report's PDF in one language."""

    def __init__(self, report: dict, lang: str) -> None:
        self.report, self.lang = report, lang
        self.k = 0 if lang == "zh" else 1
        self.doc = Document(self.w("title", year=report["year"]), lang=lang)

    def w(self, key: str, **values) -> str:
        """A phrase in the report's language."""
        return WORDS[key][self.k].format(**values)

    def name(self, zh: str | None, en: str | None, code: object = "") -> str:
        """A label in the report's language (the code when it has none)."""
        return str((zh if self.k == 0 else en) or zh or en or code)

    def state(self, code: str | None) -> str:
        """A partnership status or health in the report's language."""
        return STATES.get(code or "none", (code, code))[self.k] or ""

    def table(self, header: list[str], rows: list[list[object]]) -> None:
        """A table of at most ROWS rows, saying when there are more."""
        if not rows:
            return
        self.doc.table_rows(header, rows[:ROWS])
        if len(rows) > ROWS:
            self.doc.paragraph(self.w("more", n=ROWS, total=len(rows)), size=8)

    def chart(self, title: str, categories: list[str], series: dict, horizontal=False) -> None:
        """A bar chart (skipped when there is nothing to draw)."""
        if categories and any(any(v for v in s) for s in series.values()):
            png = bar_chart("png", title, categories, series, horizontal=horizontal)
            self.doc.image_png(png, width=170)

    def labels(self, vocabulary: str) -> dict[str, str]:
        """{code: label in the report's language} of a vocabulary."""
        return {c: self.name(zh, en, c) for c, (zh, en) in vocabulary_labels(vocabulary).items()}

    # -- sections

    def survey(self, d: dict) -> None:
        r = d["report"]
        self.doc.paragraph(self.w("survey_line", **r))
        if r.get("compare_to"):
            self.doc.paragraph(self.w("compared", **r["compare_to"]))
        if r["questions"]:
            title, categories, series = survey_report.chart(r)
            self.chart(title, categories, series, horizontal=True)
        for q in r["questions"]:
            self.doc.paragraph(q["text"], size=10)
            self.table(
                [self.w(k) for k in ("option", "count", "percent", "previous", "change")],
                [
                    [
                        o["label"],
                        o["count"],
                        o["percent"],
                        o.get("previous_percent", ""),
                        o.get("change", ""),
                    ]
                    for o in q["options"]
                ],
            )
        for by in ("by_size", "by_platform"):
            self.doc.paragraph(self.w(by), size=10)
            self.table(
                [self.w("group"), self.w("responses")],
                [
                    [self.name(g["label_zh"], g["label_en"]), g["responses"]]
                    for g in d[by]["groups"]
                ],
            )

    def partnerships(self, d: dict) -> None:
        self.doc.paragraph(self.w("as_of", as_of=d["as_of"]), size=9)
        modes: dict[str, dict] = defaultdict(lambda: defaultdict(int))
        names = {}
        for r in d["by_mode"]:
            names[r["mode"]] = self.name(r["label_zh"], r["label_en"], r["mode"])
            modes[r["mode"]][r["health"] or "none"] += r["count"]
        healths = sorted({h for m in modes.values() for h in m})
        self.table(
            [self.w("mode"), self.w("total"), *(self.state(h) for h in healths)],
            [
                [names[m], sum(v.values()), *(v.get(h, 0) for h in healths)]
                for m, v in modes.items()
            ],
        )
        self.chart(
            self.w("mode"),
            [names[m] for m in modes],
            {self.state(h): [modes[m].get(h, 0) for m in modes] for h in healths},
            horizontal=True,
        )
        self.table(
            [self.w("status"), self.w("count")],
            [[self.state(r["status"]), r["count"]] for r in d["by_status"]],
        )
        self.table(
            [self.w("health"), self.w("count")],
            [[self.state(r["health"]), r["count"]] for r in d["by_health"]],
        )

    def internships(self, d: dict) -> None:
        cats = self.labels("job-categories")
        rows = d["by_category"]
        self.table(
            [self.w(k) for k in ("category", "posted", "filled", "hired")],
            [
                [cats.get(r["category"], r["category"]), r["posted"], r["filled"], r["hired"]]
                for r in rows
            ],
        )
        self.chart(
            self.w("category"),
            [cats.get(r["category"], r["category"]) for r in rows],
            {self.w(k): [r[k] for r in rows] for k in ("posted", "filled", "hired")},
        )
        self.doc.paragraph(self.w("as_of", as_of=d["as_of"]), size=9)
        self.table([self.w("item"), self.w("value")], [[k, v] for k, v in d["alliance"].items()])
        self.doc.paragraph(self.w("placements"), size=10)
        self.table(
            [self.w("status"), self.w("count")],
            [[r["state"], r["count"]] for r in d["placements"].get("by_state", [])],
        )

    def employment(self, d: dict) -> None:
        t = d["totals"] or {}
        self.table(
            [self.w(k) for k in ("item", "value")],
            [
                [k, t.get(k)]
                for k in (
                    "graduates",
                    "reported",
                    "placed",
                    "confirmed",
                    "destination_rate",
                    "cbec_related_share",
                    "guangzhou_share",
                )
            ],
        )
        self.table(
            [self.w(k) for k in ("university", "graduates", "placed", "rate", "confirmed")],
            [
                [r["name"], r["graduates"], r["placed"], r["destination_rate"], r["confirmed"]]
                for r in d["by_university"]
            ],
        )
        self.table(
            [self.w("item"), self.w("count")],
            [
                [self.name(r["name_zh"], r["name_en"], r["code"]), r["count"]]
                for r in d["by_outcome"]
            ],
        )
        self.table(
            [self.w("enterprise"), self.w("hired"), self.w("converted")],
            [[r["name"], r["hired"], r["converted"]] for r in d["conversions"]],
        )

    def cooperation(self, d: dict) -> None:
        self.doc.paragraph(self.w("as_of", as_of=d["as_of"]), size=9)
        self.doc.paragraph(self.w("courses"), size=10)
        self.table(
            [self.w("status"), self.w("count")], [[r["status"], r["count"]] for r in d["courses"]]
        )
        self.doc.paragraph(self.w("bases"), size=10)
        self.table(
            [self.w("level"), self.w("count")],
            [[r["level"], r["count"]] for r in d["training_bases"]],
        )
        self.doc.paragraph(self.w("competitions", n=d["competitions"]), size=10)

    def skills_gap(self, d: dict) -> None:
        rows = d.get("items", [])
        self.table(
            [self.w(k) for k in ("competency", "demand", "supply", "gap")],
            [
                [self.name(r["label_zh"], r["label_en"]), r["demand"], r["supply"], r["gap"]]
                for r in rows
            ],
        )
        self.chart(
            self.w("competency"),
            [self.name(r["label_zh"], r["label_en"]) for r in rows],
            {
                self.w("demand"): [r["demand"] for r in rows],
                self.w("supply"): [r["supply"] for r in rows],
            },
            horizontal=True,
        )

    def policies(self, d: dict) -> None:
        self.table(
            [self.w(k) for k in ("kind", "applications", "approved", "amount", "disbursed")],
            [
                [
                    kind,
                    f.get("applications"),
                    f.get("approved"),
                    f.get("amount_approved"),
                    f.get("amount_disbursed"),
                ]
                for kind, f in d["kinds"].items()
            ],
        )

    def indicators(self, d: dict) -> None:
        self.table(
            [self.w(k) for k in ("indicator", "region", "period", "value", "unit", "source")],
            [
                [
                    r["name"] or r["code"],
                    self.name(r["region_zh"], r["region_en"]),
                    r["period"],
                    r["value"],
                    r["unit"],
                    r["source"],
                ]
                for r in d["items"]
            ],
        )

    def write(self) -> bytes:
        """Title, contents, summary, then every section (what is missing said in each)."""
        doc, report = self.doc, self.report
        doc.title_block(self.w("subtitle", built=report["built_at"]))
        doc.contents(self.w("contents"))
        doc.heading(self.w("summary"))
        if report["missing"]:
            doc.paragraph(self.w("missing"))
            for line in report["missing"]:
                doc.paragraph(f"• {line}", size=10)
        else:
            doc.paragraph(self.w("complete"))
        writers: dict[str, Callable[[dict], None]] = {
            s.code: getattr(self, s.code) for s in SECTIONS
        }
        for k, section in enumerate(SECTIONS, start=1):
            data = report["sections"][section.code]
            doc.heading(f"{k}. {section.zh if self.k == 0 else section.en}")
            for line in data.get("missing", []):
                doc.paragraph(f"• {line}", size=10)
            if section.code == "survey" and "report" not in data:
                continue
            writers[section.code](data)
        return doc.bytes()


def build(report: dict, lang: str) -> bytes:
    """The report's PDF in `lang` (zh or en)."""
    return Writer(report, lang).write()
