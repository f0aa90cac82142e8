"""The mixed-role users of bench/load.py (locust; read the roles from BENCH_LOAD_PLAN).

Students browse the list with their own filters, search as they type, open postings, ask for
their recommendations and apply; enterprise staff look at their postings, the recommended
students and the applications of one; coordinators read monitoring and download a file.
Every request names its route (not its URL), so the table has one row per route. A 409 to an
application (already applied, posting full) is the API's correct answer, not an error.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
DISTRICTS = ["tianhe", "haizhu", "panyu", "baiyun", "huangpu", "yuexiu", "liwan", "nansha"]
CATEGORIES = ["marketing", "data", "technical", "management", "procurement"]
COMPETENCIES = ["data-analysis", "english", "platform-operation", "product-sourcing", "ai-tools"]
MAJORS = ["e-commerce", "international-business", "marketing", "logistics-management"]
SORTS = ["apply_by", "-published_at"]
TERMS = ["直播", "选品", "亚马逊", "海外仓", "运营", "shopify", "TikTok", "清关", "数据", "SEO"]


def _filters() -> dict:
    """A random combination, so nearly every list request is one no cache has seen."""
    params: dict = {"page": random.randint(1, 5)}
    for name, values in (
        ("district", DISTRICTS),
        ("category", CATEGORIES),
        ("competency", COMPETENCIES),
        ("major", MAJORS),
        ("sort", SORTS),
    ):
        if random.random() < 0.35:
            params[name] = random.choice(values)
    return params


class Student(HttpUser):
    """A student (most users)."""

    weight = 6
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = "Bearer " + random.choice(PLAN["students"])

    @task(5)
    def browse(self) -> None:
        self.client.get("/api/v1/internships", params=_filters(), name="list (filters)")

    @task(3)
    def search(self) -> None:
        params = {"q": random.choice(TERMS)}
        if random.random() < 0.3:
            params["district"] = random.choice(DISTRICTS)
        self.client.get("/api/v1/internships", params=params, name="list (q search)")

    @task(3)
    def detail(self) -> None:
        posting = random.choice(PLAN["internships"])
        self.client.get(f"/api/v1/internships/{posting}", name="internship detail")

    @task(2)
    def recommendations(self) -> None:
        self.client.get(
            "/api/v1/students/me/recommended-internships", name="recommended internships"
        )

    @task(1)
    def apply(self) -> None:
        posting = random.choice(PLAN["internships"])
        with self.client.post(
            f"/api/v1/internships/{posting}/applications",
            json={"cover_letter": "我对跨境电商运营很感兴趣。"},
            name="apply",
            catch_response=True,
        ) as resp:
            if resp.status_code in (201, 409):
                resp.success()


class EnterpriseStaff(HttpUser):
    """Staff of an enterprise with postings."""

    weight = 3
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.me = random.choice(PLAN["staff"])
        self.client.headers["Authorization"] = "Bearer " + self.me["token"]

    @task(3)
    def own_postings(self) -> None:
        self.client.get(
            "/api/v1/internships",
            params={"enterprise_id": self.me["enterprise_id"], "status": "open"},
            name="list (own postings)",
        )

    @task(2)
    def recommended_students(self) -> None:
        posting = random.choice(self.me["internships"])
        self.client.get(
            f"/api/v1/internships/{posting}/recommended-students",
            params={"page": random.randint(1, 3)},
            name="recommended students",
        )

    @task(2)
    def applications(self) -> None:
        posting = random.choice(self.me["internships"])
        self.client.get(
            f"/api/v1/internships/{posting}/applications", name="applications of a posting"
        )


class Coordinator(HttpUser):
    """A government coordinator."""

    weight = 1
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = "Bearer " + random.choice(PLAN["coordinators"])

    @task(3)
    def overview(self) -> None:
        self.client.get("/api/v1/monitoring/overview", name="monitoring overview")

    @task(2)
    def skills_gap(self) -> None:
        self.client.get("/api/v1/monitoring/skills-gap", name="monitoring skills-gap")

    @task(1)
    def districts(self) -> None:
        self.client.get("/api/v1/monitoring/districts", name="monitoring districts")

    @task(1)
    def download(self) -> None:
        route, fmt = random.choice(
            [("skills-gap", "xlsx"), ("overview", "csv"), ("internships", "png")]
        )
        self.client.get(
            f"/api/v1/monitoring/{route}", params={"format": fmt}, name=f"download {fmt}"
        )
