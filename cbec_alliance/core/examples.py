"""Examples for the OpenAPI document, in one place.

A component schema's properties get an `example` here when their field gave none
(`metadata={"example": ...}`) and the schema has no `Meta.example`: by the property's name
(`TEXT`, a realistic value, Chinese where the field is Chinese), else by its type, format or
enum (a date, an id, a count, a flag). Free text is never guessed from its type: a new text
field whose name is not in `TEXT` has no example, and tests/test_openapi_examples.py names
the operation that lacks one. A value that breaks the property's own rules (pattern,
length, bounds) is not used either.
"""

from __future__ import annotations

import re
from typing import Any

DATE = "2026-09-01"
DATETIME = "2026-09-01T09:30:00+08:00"

# Free text and codes, by property name.
TEXT: dict[str, Any] = {
    "action": "internship.publish",
    "address": "广州市天河区天河路385号太古汇一座18楼",
    "advisor_name": "陈晓华",
    "article": "《职业学校学生实习管理规定》第十六条",
    "bio": "跨境电商方向教师，指导学生参加全国跨境电商技能大赛。",
    "body": "你的实习申请「跨境电商运营实习生」已通过企业初审。",
    "cancel_reason": "场地临时调整，改期另行通知",
    "category": "marketing",
    "certificate": "跨境电商B2B数据运营职业技能等级证书（中级）",
    "certificate_code": "CBEC-2026-000123",
    "certificate_level": "intermediate",
    "code": "platform-operation",
    "comment": "数据分析扎实，与海外客户沟通积极。",
    "confirmation": "offer-letter",
    "contract_type": "internship-agreement",
    "coordinator_note": "双方已完成第一期课程共建，建议续签。",
    "correction_reason": "定位漂移，学生当日在岗，经企业导师确认",
    "cover_letter": "您好，我是国际经济与贸易专业大三学生，熟悉亚马逊店铺运营，希望加入贵公司。",
    "criterion": "数据分析",
    "csrf_token": "q3Vh1b8mH0x2n5c7ZkR9sT4uW6yA0dF1gJ3lP5rN7tQ",
    "current_password": "Old-passw0rd-2026",
    "decline_reason": "本学期教学任务已满",
    "delivery_id": "b6f1c2a0-5d3e-4f7a-9c1b-2e8d4a6f0c13",
    "description": "广州跨境电商企业与院校的产教融合合作，面向亚马逊、速卖通等平台运营岗位。",
    "detail": "操作已完成。",
    "digest": "daily",
    "disbursement_reference": "GZ-CZ-2026-0815",
    "dispute_reason": "学生未在该企业入职，实为升学",
    "district": "tianhe",
    "district_zh": "天河区",
    "email": "li.na@gdufs.edu.cn",
    "employer_name": "广州云帆跨境电子商务有限公司",
    "employer_uscc": "91440101MA5CXXXX0K",
    "enterprise_decision": "approved",
    "enterprise_name": "广州云帆跨境电子商务有限公司",
    "error": "SMTP 服务器暂时不可用",
    "event_type": "application.status_changed",
    "factor": "competencies",
    "field": "student_number",
    "figure": "check_in_rate",
    "filename": "2026级跨境电商专业学生名单.xlsx",
    "from_status": "submitted",
    "goal": "students_trained",
    "guardian_name": "李建国",
    "health": "良好",
    "holder_name": "王芳",
    "industry": "跨境电子商务",
    "industry_title": "跨境电商运营",
    "insurer": "中国人民财产保险股份有限公司广州市分公司",
    "internship_title": "跨境电商运营实习生",
    "invalid_reason": "证书编号与持证人不符",
    "ip": "203.0.113.24",
    "issuer": "广东省跨境电子商务协会",
    "kind": "enterprise",
    "label": "非常满意",
    "label_en": "Very satisfied",
    "label_zh": "非常满意",
    "language": "zh",
    "last_error": "连接超时",
    "level": "intermediate",
    "location": "广州市天河区华南理工大学五山校区国际会议中心",
    "location_code": "tianhe",
    "major": "e-commerce",
    "message": "学号不能为空",
    "min_level": "intermediate",
    "mode": "onsite",
    "month": "2026-09",
    "name": "广州云帆跨境电子商务有限公司",
    "name_en": "Cross-border platform operation",
    "name_zh": "跨境平台运营",
    "new_password": "New-passw0rd-2026",
    "next_after": "2026-09-01T09:30:00+08:00",
    "normalize": "strip",
    "note": "已与学校导师电话确认。",
    "notes": "学生适应良好，建议下季度增加选品任务。",
    "number": "CBEC-B2B-2026-00042",
    "object_id": "42",
    "object_type": "internship",
    "organizations": "广州云帆跨境电子商务有限公司",
    "outcome": "employed",
    "outcome_zh": "就业",
    "party": "enterprise",
    "password": "Passw0rd-2026",
    "period": "2026-09",
    "platform_role": "user",
    "policy_number": "PICC-GZ-2026-0088123",
    "position": "跨境电商运营专员",
    "prefix": "cbec_3f9a",
    "pseudonym": "student-7f3a2c",
    "reason": "岗位已招满",
    "reason_code": "student_request",
    "reason_text": "学生因升学备考申请提前结束实习",
    "reference": "GZ-CZ-2026-0815",
    "region": "广州市",
    "region_en": "Guangzhou",
    "region_zh": "广州市",
    "reporter_party": "school",
    "required_certificate_level": "intermediate",
    "resolution": "已调整岗位并与学生、家长沟通确认。",
    "role": "admin",
    "rule": "weekly_log",
    "salary_band": "3000-5000",
    "school_code": "4144010846",
    "school_decision": "approved",
    "score_exact": "86.5",
    "secret": "whsec_9f2c1e7a4b6d8e0f",
    "semester": "2026-fall",
    "severity": "medium",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "signer_name": "陈晓华",
    "size": "sme",
    "source": "广州市商务局",
    "speaker": "张伟（广州云帆跨境电子商务有限公司运营总监）",
    "state": "active",
    "statement": "我公司2026年接收跨境电商专业实习生12名，均已签订三方协议。",
    "status": "approved",
    "status_reason": "资料已核实",
    "step": "charts",
    "student_district": "tianhe",
    "student_name": "王芳",
    "student_number": "202301010123",
    "subject": "跨境电商数据分析",
    "tasks": "参与店铺数据分析与选品，协助指导实习生。",
    "teacher_name": "陈晓华",
    "template": "skills-gap",
    "template_version": "2026-01",
    "text": "本周完成亚马逊店铺10个新品的上架与关键词优化。",
    "title": "跨境电商运营实习生",
    "title_en": "Cross-border e-commerce internship subsidy",
    "to_status": "accepted",
    "token": "cbec_3f9a0c2e7b1d4f6a8e9b0c1d2e3f4a5b",
    "track": "B2C",
    "type": "https://cbec-alliance.example/problems/409",
    "ui_language": "zh-Hans-CN",
    "unit": "人",
    "url": "https://hooks.example-cbec.cn/cbec",
    "uscc": "91440101MA5CXXXX0K",
    "value": "12.5",
    "vocabulary": "majors",
    "website": "https://www.example-cbec.cn",
    "work_ends_at": "18:00",
    "work_starts_at": "09:00",
}

ORGANIZATION = {
    "description": "总部位于广州市天河区的跨境电商企业，主营亚马逊与速卖通家居品类。",
    "name_en": "Guangzhou Yunfan Cross-border E-commerce Co., Ltd.",
    "level": "vocational",
}
INTERNSHIP = {"description": "负责亚马逊店铺的商品上架、关键词优化与销售数据分析，每周到岗5天。"}

# Where one name means different things in different schemas ("Schema.field").
BY_SCHEMA: dict[str, Any] = {
    "Register.name": "李娜",
    "Lecturer.name": "张伟",
    "Major.code": "e-commerce",
    "MajorOut.code": "e-commerce",
    "RequiredLanguage.code": "en",
    "Certificate.code": "cbec-b2b-data-operation",
    "CertificateOut.code": "cbec-b2b-data-operation",
    "_CertificateOut.code": "cbec-b2b-data-operation",
    "RequiredCertificate.code": "cbec-b2b-data-operation",
    "User.name": "李娜",
    "ProfilePatch.name": "李娜",
    "Member.name": "李娜",
    "Token.name": "数据看板同步",
    "TokenCreate.name": "数据看板同步",
    "TokenCreated.name": "数据看板同步",
    "Certificate.name": "跨境电商B2B数据运营职业技能等级证书",
    "_CertificateOut.name": "跨境电商B2B数据运营职业技能等级证书",
    "VocabularySummary.name": "majors",
    "PayloadField.name": "internship_id",
    "PayloadField.type": "integer",
    "EventType.type": "application.status_changed",
    "WebhookEvent.type": "application.status_changed",
    "Problem.title": "Conflict",
    "Problem.detail": "该岗位名额已满。",
    "Notification.title": "实习申请已通过初审",
    "Health.status": "ok",
    "Option.label": "非常满意",
    "OptionIn.label": "非常满意",
    "ReportOption.label": "非常满意",
    "Indicator.value": "12.5",
    "FitReason.value": 0.8,
}

for _suffix in ("", "Create", "Patch"):
    BY_SCHEMA.update({f"Organization{_suffix}.{k}": v for k, v in ORGANIZATION.items()})
    BY_SCHEMA.update({f"Internship{_suffix}.{k}": v for k, v in INTERNSHIP.items()})

# Lists of free text and codes, by property name (one item each).
LISTS: dict[str, list[Any]] = {
    "allowed": ["pause", "terminate"],
    "categories": ["marketing"],
    "cbec_majors": ["e-commerce"],
    "certificates": ["cbec-b2b-data-operation"],
    "competencies": ["platform-operation", "data-analysis"],
    "districts": ["tianhe"],
    "events": ["application.status_changed"],
    "fields": ["跨境电商", "国际贸易"],
    "kinds": ["enterprise"],
    "languages": ["en"],
    "majors": ["e-commerce"],
    "majors_taught": ["e-commerce"],
    "missing": ["insurance"],
    "missing_parties": ["school"],
    "modes": ["internship-employment"],
    "organization_kinds": ["enterprise"],
    "platforms": ["amazon"],
    "required_documents": ["营业执照", "实习协议"],
    "required_parties": ["enterprise", "school", "student"],
    "salary_bands": ["3000-5000"],
    "tracks": ["B2C"],
    "vocabularies": ["majors", "districts"],
}

# Free-form objects (`fields.Dict`) and untyped fields, by property name.
OBJECTS: dict[str, Any] = {
    "answers": {"q1": 4, "q2": ["data-analysis"]},
    "breakdown": {"enterprise": 8, "university": 4},
    "changes": {"status": ["draft", "published"]},
    "channels": {"application.status_changed": ["in_app", "email"]},
    "checks": {"database": "ok", "broker": "ok"},
    "compare_to": {"year": 2025},
    "confirmations": {"confirmed": 18, "declared": 3},
    "content": {"syllabus": "跨境电商数据分析：选品、广告与复盘"},
    "data": {"internship_id": 42},
    "details": {},
    "documents": {"营业执照": "营业执照.pdf"},
    "errors": {"student_number": ["学号不能为空"]},
    "goals": {"students_trained": 30, "courses": 2},
    "internships": {"published": 12, "slots": 40},
    "overdue_logs": {"count": 3},
    "partnership": {"id": 7, "status": "active"},
    "partnerships": {"active": 5},
    "scope": {"university_id": 3, "year": 2026},
    "scores": {"5": 86},
    "seconds": {"charts": 1.2},
    "stats": {"students": 120, "assigned": 96},
    "totals": {"placements": 96},
    "verdict": {"fair": True},
    "evaluation": None,
    "found": None,
    "hire": None,
    "location": "广州市天河区",
    "organization_kind": "enterprise",
    "placement": None,
    "profile": None,
    "required": None,
    "unfilled": 2,
    "valid": True,
}

_NUMBERS = (
    ("hours_per_day", 8.0),
    ("hours_per_week", 40.0),
    ("lat", 23.1291),
    ("lng", 113.2644),
    ("share", 0.75),
    ("rate", 0.75),
    ("fulfilment", 0.8),
    ("score", 86.5),
    ("credits", 2.0),
    ("weight", 0.5),
    ("seconds", 1.2),
    ("change", 0.05),
)
_INTEGERS = (
    ("rest_days", 2),
    ("stipend_max", 4000),
    ("employee_count", 120),
    ("year", 2026),
    ("rating", 4),
    ("level", 3),
    ("rank", 2),
    ("choice", 1),
    ("page", 1),
    ("wage", 4500),
    ("stipend", 3000),
    ("sum_insured", 500000),
    ("minutes", 2400),
    ("distance_m", 120),
    ("hours", 16),
    ("days", 90),
    ("seed", 20260901),
    ("status", 409),
)


# Dates by what they mark (the first name part found), else DATE / DATETIME.
_DATES = (
    ("birth", "2004-05-20"),
    ("week", "2026-09-07"),
    ("apply_by", "2026-08-15"),
    ("closes", "2026-08-15"),
    ("end", "2027-01-15"),
    ("covers_to", "2027-01-15"),
)
# Flags whose true value would mean a breach (a fee charged, papers withheld): false.
FALSE_FLAGS = {
    "documents_withheld",
    "excluded",
    "fee_charged",
    "flagged",
    "frozen",
    "night_shifts",
    "overtime",
    "suspended_placement",
}


def _date(name: str, kind: str) -> str:
    for part, value in _DATES:
        if part in name:
            return value if kind == "date" else f"{value}T18:00:00+08:00"
    return DATE if kind == "date" else DATETIME


def _integer(name: str) -> int:
    if name == "id" or name.endswith("_id"):
        return 42
    for part, value in _INTEGERS:
        if part in name:
            return value
    return 12


def _number(name: str) -> float:
    for part, value in _NUMBERS:
        if part in name:
            return value
    return 12.5


_FORMATS = {
    "date": DATE,
    "date-time": DATETIME,
    "email": TEXT["email"],
    "url": TEXT["website"],
    "uri": TEXT["website"],
    "uuid": TEXT["delivery_id"],
}


def guess(schema_name: str, name: str, prop: dict) -> tuple[bool, Any]:
    """(found, example) for property `name` of component `schema_name`."""
    key = f"{schema_name}.{name}"
    if key in BY_SCHEMA:
        return True, BY_SCHEMA[key]
    enum = [v for v in prop.get("enum") or () if v is not None]
    if enum:
        return True, enum[0]
    kind = prop.get("type")
    if prop.get("format") in ("date", "date-time") and kind in ("string", None):
        return True, _date(name, prop["format"])
    if prop.get("format") in _FORMATS and kind in ("string", None):
        return True, _FORMATS[prop["format"]]
    if kind == "boolean":
        return True, name not in FALSE_FLAGS
    if kind == "integer":
        return True, _integer(name)
    if kind == "number":
        return True, _number(name)
    if kind == "string":
        return (True, TEXT[name]) if name in TEXT else (False, None)
    if kind == "array":
        items = prop.get("items") or {}
        if "$ref" in items:  # its component has the examples
            return False, None
        if name in LISTS:
            return True, LISTS[name]
        found, item = guess(schema_name, name, items)
        return (True, [item]) if found else (False, None)
    if name in OBJECTS:
        return True, OBJECTS[name]
    if kind is None and name in TEXT:  # a method field: its value, untyped
        return True, TEXT[name]
    if kind == "object":
        return True, {}
    return False, None


def _fits(prop: dict, value: Any) -> bool:
    """Whether `value` keeps the property's own rules (so an example is never invalid)."""
    if isinstance(value, list):
        items = prop.get("items") or {}
        return all(_fits(items, v) for v in value) and len(value) >= prop.get("minItems", 0)
    if isinstance(value, str):
        if "pattern" in prop and not re.search(prop["pattern"], value):
            return False
        return prop.get("minLength", 0) <= len(value) <= prop.get("maxLength", len(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return prop.get("minimum", value) <= value <= prop.get("maximum", value)
    return True


def _clamped(prop: dict, value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = max(prop.get("minimum", value), min(prop.get("maximum", value), value))
        return int(value) if prop.get("type") == "integer" else value
    return value


def fill(schema_name: str, definition: dict) -> None:
    """Give each property of `definition` without an example one, where one is known."""
    for name, prop in (definition.get("properties") or {}).items():
        if not isinstance(prop, dict) or "example" in prop or "$ref" in prop:
            continue
        if "allOf" in prop:
            continue
        if prop.get("type") == "object" and prop.get("properties"):
            fill(schema_name, prop)
            continue
        found, value = guess(schema_name, name, prop)
        if not found:
            continue
        value = _clamped(prop, value)
        if _fits(prop, value):
            prop["example"] = value
