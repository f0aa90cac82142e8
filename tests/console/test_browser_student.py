"""A student's journey in a real browser, on the demo served from SQLite and from
PostgreSQL: log in, edit the profile in Chinese, read the recommended internships, apply to
one, and find the application with its history; every page checked with axe."""

from __future__ import annotations

import re

from tests.console.conftest import check_accessibility, log_in, snapshot

BIO = "我擅长亚马逊店铺运营和数据分析，希望在跨境电商企业实习。"
LETTER = "您好！我对这个岗位很感兴趣，希望能加入贵公司的团队。"


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_student_journey(page):
    log_in(page, "student4-1@demo.cbec-alliance.cn")
    assert page.url.endswith("/console/student/")
    assert _heading(page) == "我的实习"
    assert check_accessibility(page, "student home") == []

    page.get_by_role("link", name="编辑我的档案").click()
    page.wait_for_url(re.compile(r"/console/student/profile$"))  # htmx-boosted
    page.wait_for_load_state("networkidle")
    assert _heading(page) == "我的档案"
    assert check_accessibility(page, "student profile") == []
    page.get_by_label("自我介绍").fill(BIO)
    page.get_by_label("数据分析").select_option("3")
    page.get_by_role("button", name="保存我的档案").click()
    page.wait_for_url(re.compile(r"/console/student/$"))
    page.wait_for_load_state("networkidle")
    main = page.inner_text("main")
    assert "你的档案已保存。" in main
    assert BIO in main

    # The recommendations, each with its reasons; apply to the first not applied to yet.
    recommended = page.locator("ol.cards > li")
    assert recommended.count() > 0
    assert "匹配度" in recommended.first.inner_text()
    apply_link = page.get_by_role("link", name=re.compile(r"^申请 ")).first
    title = apply_link.inner_text().removeprefix("申请 ").strip()
    apply_link.click()
    page.wait_for_url(re.compile(r"/console/student/internships/\d+$"))
    page.wait_for_load_state("networkidle")
    assert _heading(page) == title
    assert check_accessibility(page, "student apply") == []
    page.get_by_label("求职信").fill(LETTER)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/console/student/$"))
    page.wait_for_load_state("networkidle")
    assert f"你对 {title} 的申请已提交。" in page.inner_text("main")

    application = page.locator("section.card", has=page.get_by_role("heading", name=title))
    assert application.count() == 1
    text = application.inner_text()
    assert "已提交" in text
    assert "历史记录" in text
    assert application.get_by_role("button", name="撤回").count() == 1
    assert check_accessibility(page, "student applied") == []
    snapshot(page, "student")

    # The other pages of the area: placements, match rounds, courses, events.
    for link, path, heading in (
        ("我的实习安排", "/placements", "我的实习安排"),
        ("匹配轮次", "/rounds", "匹配轮次"),
        ("课程", "/courses", "本校课程"),
        ("活动", "/events", "即将举行的活动"),
    ):
        nav = page.get_by_role("navigation", name="学生")
        nav.get_by_role("link", name=link, exact=True).click()
        page.wait_for_url(re.compile(path + "$"))
        page.wait_for_load_state("networkidle")
        assert _heading(page) == heading
        assert check_accessibility(page, f"student {path.strip('/')}") == []
    # Rank two internships of the demo's round.
    page.get_by_role("navigation", name="学生").get_by_role("link", name="匹配轮次").click()
    page.wait_for_url(re.compile(r"/rounds$"))
    page.locator("ul.cards a").first.click()
    page.wait_for_url(re.compile(r"/rounds/\d+$"))
    page.wait_for_load_state("networkidle")
    selects = page.locator("form select")
    selects.nth(0).select_option("2")
    selects.nth(1).select_option("1")
    page.get_by_role("button", name="保存我的志愿").click()
    page.get_by_text("你的志愿已保存。").wait_for()  # the same address again, through htmx
    assert page.locator("main ol li").count() == 2  # my two choices, in order
    assert check_accessibility(page, "student round") == []
    assert page.errors == []
