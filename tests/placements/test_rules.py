"""The placement rules: each with its clause, and their properties under hypothesis."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cbec_alliance.placements import rules

START = date(2027, 3, 1)


def terms(**kw) -> rules.Terms:
    base = {
        "starts_on": START,
        "ends_on": START + timedelta(days=150),
        "hours_per_day": Decimal(8),
        "hours_per_week": Decimal(40),
        "work_starts_at": time(9),
        "work_ends_at": time(17),
        "rest_days_per_week": 2,
        "birth_date": date(2004, 1, 1),
    }
    return rules.Terms(**{**base, **kw})


def codes(findings) -> list[str]:
    return [f.clause.code for f in findings]


def test_compliant_terms_break_nothing():
    assert rules.terms_findings(terms()) == []


def test_every_clause_names_its_article_and_both_languages():
    for clause in rules.CLAUSES.values():
        assert clause.article.startswith("第")
        assert clause.zh
        assert clause.en
    finding = rules.terms_findings(terms(overtime=True))[0].as_dict()
    assert finding["article"] == "《职业学校学生实习管理规定》（教职成〔2021〕4号）第十七条"
    assert finding["message"] == "不得安排学生加班 / no overtime"


def test_each_hours_rule():
    broken = rules.terms_findings(
        terms(
            hours_per_day=Decimal("8.5"),
            hours_per_week=Decimal(41),
            overtime=True,
            work_starts_at=time(14),
            work_ends_at=time(22, 30),
            rest_days_per_week=0,
        )
    )
    assert codes(broken) == [
        "max_hours_per_day",
        "max_hours_per_week",
        "no_overtime",
        "no_night_shifts",
        "rest_days",
    ]


def test_money_rules_and_the_independent_post_pay():
    assert codes(rules.terms_findings(terms(fee_charged=True, documents_withheld=True))) == [
        "no_fees",
        "no_withheld_documents",
    ]
    paid = terms(independent_post=True, stipend=3200, regular_wage=4000)
    assert rules.terms_findings(paid) == []
    underpaid = rules.terms_findings(terms(independent_post=True, stipend=3199, regular_wage=4000))
    assert [(f.clause.code, f.status) for f in underpaid] == [("min_pay", "broken")]
    unknown = rules.terms_findings(terms(independent_post=True, stipend=3000))
    assert [(f.clause.code, f.status) for f in unknown] == [("min_pay", "unchecked")]
    # A post that is not independent has no 80% floor.
    assert rules.terms_findings(terms(stipend=100, regular_wage=4000)) == []


def test_age_rules():
    fifteen = terms(birth_date=START.replace(year=START.year - 16) + timedelta(days=1))
    assert [(f.clause.code, f.status) for f in rules.terms_findings(fifteen)] == [
        ("min_age", "broken")
    ]
    assert rules.guardian_needed(terms(birth_date=date(2010, 3, 1)))
    assert not rules.guardian_needed(terms(birth_date=date(2009, 3, 1)))  # 18 that day
    unknown = rules.terms_findings(terms(birth_date=None))
    assert [(f.clause.code, f.status) for f in unknown] == [("min_age", "unchecked")]
    assert rules.blocking(unknown) == unknown  # an unknown age keeps a placement from starting


def test_duration_is_configurable():
    six = terms(ends_on=date(2027, 8, 31))
    assert rules.terms_findings(six) == []
    assert codes(rules.terms_findings(terms(ends_on=date(2027, 9, 1)))) == ["max_duration"]
    assert rules.terms_findings(terms(ends_on=date(2027, 9, 1), max_months=12)) == []


def test_quotas_apply_when_known_and_say_when_not():
    unknown = rules.quota_findings(rules.Quotas(3, None, 1, None))
    assert [(f.clause.code, f.status) for f in unknown] == [
        ("enterprise_quota", "unchecked"),
        ("role_quota", "unchecked"),
    ]
    assert rules.quota_findings(rules.Quotas(10, 100, 2, 10)) == []
    over = rules.quota_findings(rules.Quotas(11, 100, 3, 10))
    assert [(f.clause.code, f.status) for f in over] == [
        ("enterprise_quota", "broken"),
        ("role_quota", "broken"),
    ]


def test_readiness_names_each_missing_piece():
    nothing = rules.Readiness(False, True, False, False, False, False, START - timedelta(days=1))
    assert codes(rules.readiness_findings(nothing, START)) == [
        "agreement_signed",
        "guardian_consent",
        "insurance",
        "mentors",
        "mentors",
        "start_date",
    ]
    everything = rules.Readiness(True, True, True, True, True, True, START)
    assert rules.readiness_findings(everything, START) == []


def test_night_work_examples():
    assert not rules.works_at_night(time(6), time(22))
    assert rules.works_at_night(time(5, 59), time(12))
    assert rules.works_at_night(time(21), time(22, 1))
    assert rules.works_at_night(time(23), time(7))  # overnight
    assert rules.works_at_night(time(9), time(9))  # round the clock


def test_add_months_keeps_month_ends():
    assert rules.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert rules.add_months(date(2027, 1, 15), 12) == date(2028, 1, 15)


def test_final_score_examples():
    assert rules.final_score(90, 80, 50) == Decimal("85.00")
    assert rules.final_score(100, 50, 30) == Decimal("65.00")


# --- properties -------------------------------------------------------------------------

minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
days = st.dates(date(2020, 1, 1), date(2035, 12, 31))


@given(minutes, minutes)
def test_night_work_is_any_minute_between_22_and_6(start, end):
    span_start = start.hour * 60 + start.minute
    span_end = end.hour * 60 + end.minute
    if span_end <= span_start:
        span_end += 24 * 60
    worked = {m % (24 * 60) for m in range(span_start, span_end)}
    night = set(range(0, 6 * 60)) | set(range(22 * 60, 24 * 60))
    assert rules.works_at_night(start, end) == bool(worked & night)


@given(st.lists(st.tuples(days, st.integers(0, 400)), max_size=6), days, st.integers(0, 300))
def test_cover_is_every_day_of_the_placement(spans, starts_on, length):
    policies = [(first, first + timedelta(days=n)) for first, n in spans]
    ends_on = starts_on + timedelta(days=length)
    covered = set()
    for first, last in policies:
        covered |= {first + timedelta(days=k) for k in range((last - first).days + 1)}
    every_day = all(starts_on + timedelta(days=k) in covered for k in range(length + 1))
    assert rules.covers(policies, starts_on, ends_on) == every_day
    gap = rules.first_uncovered(policies, starts_on)
    assert gap not in covered
    assert all(starts_on + timedelta(days=k) in covered for k in range((gap - starts_on).days))


@given(st.integers(0, 100), st.integers(0, 100), st.integers(0, 100))
def test_final_score_lies_between_the_two_grades(school, enterprise, weight):
    score = rules.final_score(school, enterprise, weight)
    assert min(school, enterprise) <= score <= max(school, enterprise)


@given(days, days)
def test_age_counts_whole_years(born, day):
    if day < born:
        return
    age = rules.age_on(born, day)
    assert rules.add_months(born, 12 * age) <= day
    assert rules.add_months(born, 12 * (age + 1)) > day or (born.month, born.day) == (2, 29)


@given(
    st.decimals(0, 24, places=1),
    st.decimals(0, 80, places=1),
    st.integers(0, 7),
    st.booleans(),
)
def test_hours_rules_break_exactly_past_their_limits(per_day, per_week, rest, overtime):
    found = codes(
        rules.hours_findings(
            terms(
                hours_per_day=per_day,
                hours_per_week=per_week,
                rest_days_per_week=rest,
                overtime=overtime,
            )
        )
    )
    assert ("max_hours_per_day" in found) == (per_day > 8)
    assert ("max_hours_per_week" in found) == (per_week > 40)
    assert ("rest_days" in found) == (rest < 1)
    assert ("no_overtime" in found) == overtime


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_pay_floor_is_80_percent(stipend, wage):
    found = rules.money_findings(terms(independent_post=True, stipend=stipend, regular_wage=wage))
    assert bool(found) == (stipend * 10 < wage * 8)
