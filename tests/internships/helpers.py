"""Shared bodies and setup for the internship tests."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories

URL = "/api/v1/internships"


def body(enterprise_id: int, **overrides) -> dict:
    """A complete, rule-abiding posting body."""
    today = date.today()
    data = {
        "enterprise_id": enterprise_id,
        "title": "跨境电商运营实习生 Amazon operations intern",
        "description": "负责亚马逊店铺日常运营。Daily Amazon store operations.",
        "category": "marketing",
        "competencies": [{"code": "platform-operation", "min_level": 2}],
        "majors": ["e-commerce"],
        "languages": ["en"],
        "district": "tianhe",
        "mode": "onsite",
        "slots": 2,
        "stipend_min": 3000,
        "stipend_max": 4500,
        "start_date": (today + timedelta(days=30)).isoformat(),
        "end_date": (today + timedelta(days=120)).isoformat(),
        "apply_by": (today + timedelta(days=20)).isoformat(),
        "hours_per_day": 8,
        "hours_per_week": 40,
        "night_shifts": False,
        "insurance_provided": True,
        "fee_charged": False,
    }
    data.update(overrides)
    return data


def enterprise_staff(role: str = "staff", **org_kw):
    """An approved enterprise and one of its members."""
    org = factories.OrganizationFactory(**org_kw)
    return org, factories.member(org, role)
