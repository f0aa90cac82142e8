"""The coordinator's journey in a real browser, on the demo served from SQLite and from
PostgreSQL: log in, read every monitoring page (each checked with axe), filter, switch the
language, log out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.console.conftest import check_accessibility, log_in, snapshot


def test_coordinator_journey(page):
    log_in(page, "coordinator@demo.cbec-alliance.cn")
    # One area only: straight to the overview, in Chinese (the browser asks for zh-CN).
    assert page.url.endswith("/console/monitoring/")
    assert page.get_by_role("heading", level=1).inner_text() == "联盟概览"
    assert re.search(r"截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.inner_text("main"))
    assert check_accessibility(page, "monitoring overview") == []

    for link, heading in (
        ("合作关系", "合作关系"),
        ("技能缺口", "技能缺口"),
        ("区域", "广州各区"),
        ("实习", "按月统计的实习"),
        ("实习安置", "实习安置"),
        ("就业", re.compile("届毕业生就业")),
        ("匹配轮次", "匹配轮次"),
        ("审批", "待审批的组织"),
    ):
        nav = page.get_by_role("navigation", name="监测")
        nav.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert check_accessibility(page, f"monitoring {link}") == []

    # The district map redraws for another measure through htmx, and the address follows.
    page.goto(page.live.url + "/console/monitoring/districts")  # htmx ready once loaded
    page.get_by_label("指标").select_option("open_internships")
    page.wait_for_url(re.compile(r"measure=open_internships"))
    expect(page.locator("figcaption")).to_contain_text("开放的实习")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guangzhou districts")
    snapshot(page, "coordinator")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/console/login"))
    assert page.errors == []
