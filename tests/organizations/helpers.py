"""Request bodies and small helpers shared by the organization, taxonomy and audit tests."""

from __future__ import annotations

import itertools

from tests import factories

_n = itertools.count(500_000)


def enterprise_body(**overrides) -> dict:
    """A valid enterprise creation body with a fresh USCC."""
    body = {
        "kind": "enterprise",
        "name": "广州市跨境优品贸易有限公司",
        "name_en": "Guangzhou Cross-border Goods Trading Co., Ltd.",
        "district": "tianhe",
        "description": "主营亚马逊与速卖通店铺运营。",
        "uscc": factories.valid_uscc(next(_n)),
        "size": "small",
        "platforms": ["amazon", "aliexpress"],
    }
    body.update(overrides)
    return body


def university_body(**overrides) -> dict:
    """A valid university creation body with a fresh school code."""
    body = {
        "kind": "university",
        "name": "广州跨境电商职业学院",
        "name_en": "Guangzhou CBEC Vocational College",
        "district": "panyu",
        "school_code": f"{4100000000 + next(_n)}",
        "level": "vocational",
        "majors": [
            {"code": "e-commerce", "yearly_graduates": 420},
            {"code": "foreign-languages", "yearly_graduates": 120},
        ],
    }
    body.update(overrides)
    return body


def government_body(**overrides) -> dict:
    """A valid government body."""
    body = {"kind": "government", "name": "广州市商务局", "district": "yuexiu"}
    body.update(overrides)
    return body


def association_body(**overrides) -> dict:
    """A valid industry association body."""
    body = {"kind": "association", "name": "广州市跨境电子商务行业协会", "district": "haizhu"}
    body.update(overrides)
    return body
