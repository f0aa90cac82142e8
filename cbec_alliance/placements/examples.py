"""Examples for the OpenAPI documentation of the placement routes."""

from __future__ import annotations

_CHECK = {
    "code": "insurance",
    "status": "broken",
    "article": "《职业学校学生实习管理规定》（教职成〔2021〕4号）第三十五条",
    "message": "实习责任保险范围应覆盖实习活动的全过程 / internship liability insurance "
    "covers the whole placement",
    "detail": "no policy covers every day of the placement",
}

PLACEMENT_EXAMPLE = {
    "id": 7,
    "application_id": 31,
    "student_id": 120,
    "university_id": 4,
    "enterprise_id": 9,
    "internship_id": 15,
    "starts_on": "2027-03-01",
    "ends_on": "2027-08-31",
    "state": "preparing",
    "reason_code": None,
    "reason_text": None,
    "suspended_by_incident_id": None,
    "hours_per_day": 8.0,
    "hours_per_week": 40.0,
    "work_starts_at": "09:00:00",
    "work_ends_at": "17:00:00",
    "rest_days_per_week": 2,
    "overtime": False,
    "fee_charged": False,
    "documents_withheld": False,
    "independent_post": True,
    "stipend": 3200,
    "regular_wage": 4000,
    "workplace_lat": 23.1291,
    "workplace_lng": 113.2644,
    "terms_version": 2,
    "school_mentor_id": 51,
    "enterprise_mentor_id": None,
    "final_score": None,
    "certificate_code": None,
    "activated_at": None,
    "ended_at": None,
    "created_at": "2027-01-10T08:00:00Z",
    "updated_at": "2027-01-12T09:30:00Z",
    "state_changed_at": "2027-01-10T08:00:00Z",
    "checks": {"missing": [_CHECK], "broken": [], "unchecked": []},
    "allowed": ["activate", "terminate"],
}

TERMINATE_EXAMPLE = {
    "reason_code": "safety",
    "reason_text": "工作场所存在安全隐患，学校决定终止实习",
}

SIGN_EXAMPLE = {"sha256": "9f2c" + "0" * 60}

AGREEMENT_EXAMPLE = {
    "id": 12,
    "placement_id": 7,
    "terms_version": 2,
    "template_version": "2026.1",
    "text": "三方实习协议（第 2 版，模板 2026.1）\n…\n\n——— English ———\n\n"
    "Three-party placement agreement …",
    "sha256": "9f2c" + "0" * 60,
    "guardian_required": False,
    "created_at": "2027-01-12T09:30:00Z",
    "signed_at": None,
    "signatures": [
        {
            "party": "student",
            "signer_id": 120,
            "signer_name": "王芳",
            "ip": "203.0.113.7",
            "sha256": "9f2c" + "0" * 60,
            "signed_at": "2027-01-12T10:00:00Z",
        }
    ],
    "required_parties": ["enterprise", "student", "university"],
    "missing_parties": ["enterprise", "university"],
}

INSURANCE_EXAMPLE = {
    "insurer": "中国人民财产保险股份有限公司广州分公司",
    "policy_number": "PICC-2027-000123",
    "covers_from": "2027-03-01",
    "covers_to": "2027-08-31",
    "sum_insured": 500000,
}
