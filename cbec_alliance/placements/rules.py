"""The placement rules, each with the clause of the national provisions it comes from.

Source: 《职业学校学生实习管理规定》 (Provisions on the Internships of Vocational School
Students, 教职成〔2021〕4号, the 2021 revision). Article 16 (第十六条, the list of what schools
and host units must never do) was checked against a published copy; the other article
numbers are those of the 2021 text as we read it, and the clause text says what each rule
holds, so a coordinator can read why a step was refused and check the number.

Pure functions of plain facts (`Terms`, `Readiness`): no database, no request. A rule that
cannot be checked because a figure is unknown (an enterprise's employee count, the staff in
the same post, the post's wage) is reported as `unchecked`, never as passed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

SOURCE = "《职业学校学生实习管理规定》（教职成〔2021〕4号）"
MAX_HOURS_PER_DAY = Decimal(8)
MAX_HOURS_PER_WEEK = Decimal(40)
NIGHT_FROM = time(22, 0)  # night work: any time from 22:00 ...
NIGHT_TO = time(6, 0)  # ... to 06:00
MIN_AGE = 16
ADULT_AGE = 18
MIN_REST_DAYS = 1
ENTERPRISE_SHARE = Decimal("0.10")  # interns at most 10% of the enterprise's employees
ROLE_SHARE = Decimal("0.20")  # and at most 20% of the staff in the same kind of post
MIN_PAY_SHARE = Decimal("0.80")  # an independent post's pay at least 80% of its wage


@dataclass(frozen=True)
class Clause:
    """A rule: a stable code, its article, and what it requires (zh, en)."""

    code: str
    article: str
    zh: str
    en: str


@dataclass(frozen=True)
class Finding:
    """A rule broken (`status` "broken"), or one that could not be checked ("unchecked")."""

    clause: Clause
    status: str
    detail: str = ""

    def as_dict(self) -> dict:
        """The finding as the API shows it."""
        return {
            "code": self.clause.code,
            "status": self.status,
            "article": f"{SOURCE}{self.clause.article}",
            "message": f"{self.clause.zh} / {self.clause.en}",
            "detail": self.detail,
        }


def _clause(code: str, article: str, zh: str, en: str) -> Clause:
    return Clause(code, article, zh, en)


CLAUSES = {
    c.code: c
    for c in (
        _clause(
            "agreement_signed",
            "第十三条",
            "岗位实习前，职业学校、实习单位、学生三方应签订实习协议",
            "the school, the host and the student sign the agreement before the placement",
        ),
        _clause(
            "guardian_consent",
            "第十三条",
            "未满18周岁的学生参加岗位实习，应取得监护人签字的知情同意书",
            "a student under 18 needs a guardian's signed consent",
        ),
        _clause(
            "min_age",
            "第十六条第（二）项",
            "不得安排、接收未满16周岁的学生进行岗位实习",
            "no placement of a student under 16",
        ),
        _clause(
            "insurance",
            "第三十五条",
            "实习责任保险范围应覆盖实习活动的全过程",
            "internship liability insurance covers the whole placement",
        ),
        _clause(
            "mentors",
            "第二十条",
            "学校和实习单位分别选派实习指导教师和专门人员全程指导",
            "a school mentor and an enterprise mentor guide the whole placement",
        ),
        _clause(
            "max_hours_per_day",
            "第十七条",
            "遵守国家工作时间规定：每日实习不超过8小时",
            "at most 8 hours a day",
        ),
        _clause(
            "max_hours_per_week",
            "第十七条",
            "遵守国家工作时间规定：每周实习不超过40小时",
            "at most 40 hours a week",
        ),
        _clause("no_overtime", "第十七条", "不得安排学生加班", "no overtime"),
        _clause(
            "no_night_shifts",
            "第十七条",
            "不得安排学生上夜班（22:00至次日6:00）",
            "no night work (22:00 to 06:00)",
        ),
        _clause(
            "rest_days",
            "第十七条",
            "保障学生休息休假，每周至少休息一日",
            "at least one rest day a week",
        ),
        _clause(
            "no_fees",
            "第十九条",
            "不得向学生收取实习押金、培训费、管理费或其他实习费用",
            "no deposit, training fee or other charge to the student",
        ),
        _clause(
            "no_withheld_documents",
            "第十九条",
            "不得扣押学生的学生证、居民身份证或其他证件",
            "no withholding of the student's identity or student card",
        ),
        _clause(
            "enterprise_quota",
            "第十一条",
            "岗位实习学生人数不超过实习单位在岗职工总数的10%",
            "interns at most 10% of the enterprise's employees",
        ),
        _clause(
            "role_quota",
            "第十一条",
            "在具体岗位实习的学生人数不高于同类岗位在岗职工总人数的20%",
            "interns at most 20% of the staff in the same kind of post",
        ),
        _clause(
            "min_pay",
            "第十八条",
            "相对独立参与工作的学生，报酬原则上不低于相同岗位工资标准的80%",
            "an intern in an independent post is paid at least 80% of the post's wage",
        ),
        _clause(
            "max_duration",
            "第十条",
            "岗位实习时间一般为6个月",
            "an ordinary placement lasts up to 6 months",
        ),
        _clause(
            "start_date",
            "第十三条",
            "实习按协议约定的日期开始",
            "the placement starts on the agreed date",
        ),
    )
}


@dataclass(frozen=True)
class Terms:
    """The facts the terms rules are checked on (None: not known)."""

    starts_on: date
    ends_on: date
    hours_per_day: Decimal
    hours_per_week: Decimal
    work_starts_at: time
    work_ends_at: time
    rest_days_per_week: int
    overtime: bool = False
    fee_charged: bool = False
    documents_withheld: bool = False
    independent_post: bool = False
    stipend: int | None = None
    regular_wage: int | None = None
    birth_date: date | None = None
    max_months: int = 6


@dataclass(frozen=True)
class Quotas:
    """Interns counted against an enterprise's employees and a post's staff (None: unknown)."""

    interns_at_enterprise: int
    employee_count: int | None
    interns_in_role: int
    staff_in_role: int | None


@dataclass(frozen=True)
class Readiness:
    """What must be in place before a placement becomes active."""

    agreement_signed: bool
    guardian_needed: bool
    guardian_signed: bool
    insured: bool
    school_mentor: bool
    enterprise_mentor: bool
    today: date


def _broken(code: str, detail: str = "") -> Finding:
    return Finding(CLAUSES[code], "broken", detail)


def _unchecked(code: str, detail: str) -> Finding:
    return Finding(CLAUSES[code], "unchecked", detail)


def age_on(birth_date: date, day: date) -> int:
    """Whole years from `birth_date` to `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def works_at_night(starts_at: time, ends_at: time) -> bool:
    """True when the working span (overnight when it ends before it starts) touches any
    minute from 22:00 to 06:00."""
    start, end = _minutes(starts_at), _minutes(ends_at)
    if end <= start:
        end += 24 * 60
    day_from, day_to = _minutes(NIGHT_TO), _minutes(NIGHT_FROM)  # 06:00 .. 22:00 is day
    # The span is day-only when it lies inside one day window: [06:00, 22:00] of its date.
    return not (day_from <= start and end <= day_to)


def guardian_needed(terms: Terms) -> bool:
    """True when the student is under 18 on the first day (unknown age: not needed here;
    `age_findings` reports the unknown age)."""
    return terms.birth_date is not None and age_on(terms.birth_date, terms.starts_on) < ADULT_AGE


def hours_findings(terms: Terms) -> list[Finding]:
    """Hours a day and a week, overtime, night work and rest days."""
    found = []
    if terms.hours_per_day > MAX_HOURS_PER_DAY:
        found.append(_broken("max_hours_per_day", f"{terms.hours_per_day} h"))
    if terms.hours_per_week > MAX_HOURS_PER_WEEK:
        found.append(_broken("max_hours_per_week", f"{terms.hours_per_week} h"))
    if terms.overtime:
        found.append(_broken("no_overtime"))
    if works_at_night(terms.work_starts_at, terms.work_ends_at):
        span = f"{terms.work_starts_at:%H:%M}-{terms.work_ends_at:%H:%M}"
        found.append(_broken("no_night_shifts", span))
    if terms.rest_days_per_week < MIN_REST_DAYS:
        found.append(_broken("rest_days", f"{terms.rest_days_per_week} rest days"))
    return found


def money_findings(terms: Terms) -> list[Finding]:
    """Fees and deposits, withheld documents, and an independent post's pay."""
    found = []
    if terms.fee_charged:
        found.append(_broken("no_fees"))
    if terms.documents_withheld:
        found.append(_broken("no_withheld_documents"))
    if not terms.independent_post:
        return found
    if terms.stipend is None or terms.regular_wage is None:
        found.append(_unchecked("min_pay", "the stipend or the post's regular wage is not given"))
    elif Decimal(terms.stipend) < MIN_PAY_SHARE * terms.regular_wage:
        found.append(_broken("min_pay", f"{terms.stipend} < 80% of {terms.regular_wage}"))
    return found


def age_findings(terms: Terms) -> list[Finding]:
    """No student under 16 (unknown date of birth: not checked)."""
    if terms.birth_date is None:
        return [_unchecked("min_age", "the student's date of birth is not recorded")]
    age = age_on(terms.birth_date, terms.starts_on)
    return [_broken("min_age", f"{age} years old")] if age < MIN_AGE else []


def duration_findings(terms: Terms) -> list[Finding]:
    """At most `max_months` from the first day."""
    if terms.ends_on >= add_months(terms.starts_on, terms.max_months):
        return [_broken("max_duration", f"more than {terms.max_months} months")]
    return []


def agreed_findings(terms: Terms) -> list[Finding]:
    """The rules on what the parties agree (hours, money, duration): a change of terms
    breaking one is refused."""
    return [*hours_findings(terms), *money_findings(terms), *duration_findings(terms)]


def terms_findings(terms: Terms) -> list[Finding]:
    """Every rule the terms (and the student's age on the first day) break or leave
    unchecked, in a fixed order."""
    return [*age_findings(terms), *agreed_findings(terms)]


def quota_findings(quotas: Quotas) -> list[Finding]:
    """The 10% and 20% shares, each checked only when its figure is known."""
    found = []
    if quotas.employee_count is None:
        found.append(_unchecked("enterprise_quota", "the enterprise's employee count is unknown"))
    elif quotas.interns_at_enterprise > ENTERPRISE_SHARE * quotas.employee_count:
        detail = f"{quotas.interns_at_enterprise} interns, {quotas.employee_count} employees"
        found.append(_broken("enterprise_quota", detail))
    if quotas.staff_in_role is None:
        found.append(_unchecked("role_quota", "the staff in the same post is unknown"))
    elif quotas.interns_in_role > ROLE_SHARE * quotas.staff_in_role:
        detail = f"{quotas.interns_in_role} interns, {quotas.staff_in_role} staff in the post"
        found.append(_broken("role_quota", detail))
    return found


def readiness_findings(ready: Readiness, starts_on: date) -> list[Finding]:
    """The pieces missing before activation: signatures, consent, cover, mentors, the day."""
    wanted = [
        ("agreement_signed", ready.agreement_signed, "not every party has signed"),
        ("guardian_consent", ready.guardian_signed or not ready.guardian_needed, "missing"),
        ("insurance", ready.insured, "no policy covers every day of the placement"),
        ("mentors", ready.school_mentor, "no school mentor assigned"),
        ("mentors", ready.enterprise_mentor, "no enterprise mentor assigned"),
        ("start_date", ready.today >= starts_on, f"starts on {starts_on.isoformat()}"),
    ]
    return [_broken(code, detail) for code, present, detail in wanted if not present]


def covers(policies: Iterable[tuple[date, date]], starts_on: date, ends_on: date) -> bool:
    """True when the policies' dates (inclusive) together cover every day of the placement."""
    reached = starts_on  # the first day not yet known to be covered
    for covers_from, covers_to in sorted(policies):
        if covers_from > reached:
            break
        reached = max(reached, date.fromordinal(covers_to.toordinal() + 1))
        if reached > ends_on:
            return True
    return reached > ends_on


def first_uncovered(policies: Iterable[tuple[date, date]], starts_on: date) -> date:
    """The first day from `starts_on` on that no policy covers."""
    reached = starts_on
    for covers_from, covers_to in sorted(policies):
        if covers_from > reached:
            break
        reached = max(reached, date.fromordinal(covers_to.toordinal() + 1))
    return reached


# Rules a placement may not start without checking: a student's age decides whether it
# may happen at all (16) and whose signatures it needs (18).
MUST_CHECK = frozenset({"min_age"})


def broken(findings: Iterable[Finding]) -> list[Finding]:
    """Only the broken findings."""
    return [finding for finding in findings if finding.status == "broken"]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that keep a placement from starting: broken ones, and unchecked ones of
    the rules that must be checked."""
    return [f for f in findings if f.status == "broken" or f.clause.code in MUST_CHECK]


def final_score(school: int, enterprise: int, school_weight: int) -> Decimal:
    """The weighted final grade (0..100, two decimals): `school_weight` percent school."""
    total = Decimal(school * school_weight + enterprise * (100 - school_weight)) / 100
    return total.quantize(Decimal("0.01"))
