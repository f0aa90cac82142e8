"""Demo activity for `flask demo-data`: profiles, internships and applications (idempotent).

Rows are written directly (the demo is data, not a user's action), each found again by a
natural key so running the command twice changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from cbec_alliance.applications.models import Application, ApplicationTransition
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import (
    Internship,
    InternshipCertificate,
    InternshipCompetency,
    InternshipLanguage,
    InternshipMajor,
)
from cbec_alliance.organizations.models import Organization
from cbec_alliance.students.models import StudentCompetency, StudentLanguage, StudentProfile

PROFILES = [
    ("e-commerce", {"platform-operation": 3, "marketing": 2, "english": 3}, {"en": 3}),
    ("foreign-languages", {"english": 4, "cross-cultural-communication": 3}, {"en": 4, "es": 2}),
    ("international-business", {"data-analysis": 3, "ai-tools": 2}, {"en": 3}),
]

INTERNSHIPS = [
    dict(
        title="亚马逊店铺运营实习生 Amazon store operations intern",
        description="协助运营亚马逊美国站店铺：上架、广告投放与数据复盘。"
        "Help run our Amazon US store: listings, ads and weekly data reviews.",
        category="marketing",
        competencies={"platform-operation": 2, "english": 3},
        majors=["e-commerce", "international-business"],
        languages=["en"],
        status="open",
    ),
    dict(
        title="东南亚市场 Shopee 内容运营 Shopee content intern (Southeast Asia)",
        description="为 Shopee 与 Lazada 店铺制作短视频和商品文案。"
        "Short videos and product copy for our Shopee and Lazada stores.",
        category="marketing",
        competencies={"content-creation": 2, "cross-cultural-communication": 2},
        majors=["e-commerce", "marketing"],
        languages=["en"],
        status="open",
    ),
    dict(
        title="跨境物流数据分析实习生 Cross-border logistics data intern",
        description="用数据分析与 AI 工具优化国际物流路线与成本。"
        "Use data analysis and AI tools to optimise international shipping routes and costs.",
        category="data",
        competencies={"data-analysis": 3, "international-logistics": 2, "ai-tools": 2},
        majors=["logistics-management", "international-economics-trade"],
        languages=[],
        status="open",
    ),
    dict(
        title="独立站技术实习生（草稿）Own-site developer intern (draft)",
        description="搭建与维护独立站。Build and maintain our own web store.",
        category="technical",
        competencies={"platform-operation": 2},
        majors=["computer-science"],
        languages=["en"],
        status="draft",
    ),
]


# Jobs beyond internships (issue 19): full-time with a salary band and contract type, part-time
# and flexible work, certificate requirements and minor languages at a level.
JOBS: list[dict] = [
    dict(
        title="跨境电商B2B数据运营专员 B2B data operations specialist",
        description="负责阿里巴巴国际站店铺的数据分析、询盘转化与运营复盘，五险一金。"
        "Data analysis, inquiry conversion and reviews for our Alibaba.com store.",
        category="data",
        kind="full_time",
        salary_band="6000-8000",
        contract_type="fixed-term",
        competencies={"data-analysis": 3, "platform-operation": 3},
        majors=["e-commerce", "international-business"],
        languages={"en": 3},
        certificates={"cbec-b2b-data-operation": "intermediate"},
        status="open",
    ),
    dict(
        title="拉美市场西班牙语运营 Spanish-speaking operations (Latin America)",
        description="运营美客多（Mercado Libre）店铺，与拉美客户用西班牙语沟通。"
        "Run our Mercado Libre store and talk with Latin American buyers in Spanish.",
        category="marketing",
        kind="full_time",
        salary_band="8000-10000",
        contract_type="open-ended",
        competencies={"minor-languages": 4, "customer-service": 3},
        majors=["foreign-languages"],
        languages={"es": 4, "en": 2},
        certificates={},
        status="open",
    ),
    dict(
        title="周末直播助理（兼职）Weekend live-stream assistant (part-time)",
        description="周末协助 TikTok Shop 直播：选品、场控与评论回复。"
        "Weekends: help run TikTok Shop live streams (products, floor, comments).",
        category="marketing",
        kind="part_time",
        salary_band="below-4000",
        contract_type="part-time",
        competencies={"content-creation": 2},
        majors=[],
        languages={"en": 2},
        certificates={},
        status="open",
    ),
    dict(
        title="阿拉伯语商品文案（灵活用工）Arabic product copy (flexible)",
        description="按件计酬，为中东站点撰写阿拉伯语商品文案，远程。"
        "Paid per item: Arabic product copy for our Middle East stores, remote.",
        category="marketing",
        kind="flexible",
        salary_band=None,
        contract_type="freelance",
        competencies={"minor-languages": 3, "content-creation": 2},
        majors=["foreign-languages"],
        languages={"ar": 3},
        certificates={"cbec-b2b-data-operation": "junior"},
        status="open",
    ),
]


def load(enterprises: list[Organization], students_by_university: dict[int, list]) -> None:
    """Profiles for the demo students, postings for the demo enterprises, two applications."""
    for university_id, students in students_by_university.items():
        for user, (major, comps, langs) in zip(students, PROFILES, strict=False):
            _profile(user, university_id, major, comps, langs)
    postings = [
        _internship(enterprises[i % len(enterprises)], spec) for i, spec in enumerate(INTERNSHIPS)
    ]
    for i, spec in enumerate(JOBS):
        _internship(enterprises[(i + 1) % len(enterprises)], spec)
    first_students = [s[0] for s in students_by_university.values() if s]
    for posting, user in zip(postings[:2], first_students, strict=False):
        _application(posting, user)
    db.session.flush()


def _profile(user, university_id: int, major: str, comps: dict, langs: dict) -> None:
    if db.session.get(StudentProfile, user.id) is not None:
        return
    db.session.add(
        StudentProfile(
            user_id=user.id,
            university_id=university_id,
            major=major,
            graduation_year=date.today().year + 1,
            bio="希望在跨境电商行业发展。Aiming for a career in cross-border e-commerce.",
            competencies=[StudentCompetency(code=c, level=lv) for c, lv in comps.items()],
            languages=[StudentLanguage(code=c, level=lv) for c, lv in langs.items()],
        )
    )


def _internship(enterprise: Organization, spec: dict) -> Internship:
    found = db.session.scalar(
        sa.select(Internship).where(
            Internship.enterprise_id == enterprise.id, Internship.title == spec["title"]
        )
    )
    if found is not None:
        return found
    today = date.today()
    posting = Internship(
        enterprise_id=enterprise.id,
        title=spec["title"],
        description=spec["description"],
        category=spec["category"],
        kind=spec.get("kind", "internship"),
        salary_band=spec.get("salary_band"),
        contract_type=spec.get("contract_type"),
        district=enterprise.district,
        mode="remote" if spec.get("kind") == "flexible" else "hybrid",
        slots=3,
        stipend_min=None if "kind" in spec else 3000,
        stipend_max=None if "kind" in spec else 4500,
        start_date=today + timedelta(days=45),
        end_date=today + timedelta(days=135 if "kind" not in spec else 500),
        apply_by=today + timedelta(days=30),
        hours_per_day=Decimal("8"),
        hours_per_week=Decimal("40"),
        night_shifts=False,
        insurance_provided=True,
        fee_charged=False,
        status=spec["status"],
        published_at=utcnow() if spec["status"] == "open" else None,
        competencies=[
            InternshipCompetency(code=c, min_level=lv) for c, lv in spec["competencies"].items()
        ],
        majors=[InternshipMajor(code=c) for c in spec["majors"]],
        languages=[
            InternshipLanguage(code=c, min_level=lv)
            for c, lv in (
                spec["languages"].items()
                if isinstance(spec["languages"], dict)
                else dict.fromkeys(spec["languages"], 1).items()
            )
        ],
        certificates=[
            InternshipCertificate(code=c, min_level=lv)
            for c, lv in spec.get("certificates", {}).items()
        ],
    )
    db.session.add(posting)
    db.session.flush()
    return posting


def _application(posting: Internship, user) -> None:
    exists = db.session.scalar(
        sa.select(Application.id).where(
            Application.internship_id == posting.id, Application.student_id == user.id
        )
    )
    if exists or posting.status != "open":
        return
    profile = db.session.get(StudentProfile, user.id)
    assert profile is not None  # load() gave each first student a profile
    db.session.add(
        Application(
            internship_id=posting.id,
            student_id=user.id,
            university_id=profile.university_id,
            cover_letter="您好，我对这个岗位很感兴趣。I am keen to join your team.",
            transitions=[ApplicationTransition(to_status="submitted", actor_id=user.id)],
        )
    )
