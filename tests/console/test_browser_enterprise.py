"""An enterprise admin's journey in a real browser, on the demo served from SQLite and from
PostgreSQL: the postings, a new draft in Chinese with the internship rules panel following
the form, publishing it, moving an applicant one step, and the recommended students."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.console.conftest import check_accessibility, log_in, snapshot

TITLE = "跨境直播运营实习生（浏览器）"


def heading(page):
    return page.get_by_role("heading", level=1)


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def test_enterprise_journey(page):
    log_in(page, "admin1@demo.cbec-alliance.cn")
    # One area only: straight to the enterprise's postings, drafts included, in Chinese.
    assert re.search(r"/console/enterprise/\d+/postings$", page.url)
    assert page.get_by_role("heading", level=1).inner_text().endswith("的实习岗位")
    assert "草稿" in page.inner_text("table")
    assert check_accessibility(page, "enterprise postings") == []

    # A new draft; the rules panel follows the form as it is filled.
    subnav = page.get_by_role("navigation", name="企业")
    subnav.get_by_role("link", name="发布新岗位").click()
    settle(page)
    expect(heading(page)).to_have_text("发布新岗位")
    rule = page.locator("#rules li[data-rule=max_hours_per_day]")
    expect(rule).to_have_class("unknown")
    start = date.today() + timedelta(days=40)
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("描述").fill("负责 TikTok 直播带货的脚本与数据复盘。")
    page.get_by_label("类别").select_option("marketing")
    page.get_by_label("区", exact=True).select_option("tianhe")
    page.get_by_label("名额").fill("2")
    page.get_by_label("开始日期").fill(start.isoformat())
    page.get_by_label("结束日期").fill((start + timedelta(days=90)).isoformat())
    page.get_by_label("申请截止").fill((start - timedelta(days=10)).isoformat())
    page.get_by_label("每日工时").fill("10")
    page.get_by_label("每周工时").fill("40")
    expect(rule).to_have_class("bad")
    expect(page.locator("#rules")).to_contain_text("违反规定")
    page.get_by_label("每日工时").fill("8")
    page.get_by_label("为实习生投保实习责任保险").check()
    expect(rule).to_have_class("ok")
    expect(page.locator("#rules li.bad")).to_have_count(0)
    assert check_accessibility(page, "enterprise new posting") == []
    page.get_by_role("button", name="保存草稿").click()
    settle(page)
    expect(heading(page)).to_have_text(TITLE)
    expect(page.locator("p.flash")).to_contain_text("草稿已保存")

    # Publish it (internships.services.transition).
    page.get_by_role("button", name="发布", exact=True).click()
    settle(page)
    expect(page.locator("p.flash")).to_contain_text(f"发布：{TITLE}")
    expect(page.locator("dl.figures")).to_contain_text("开放")
    assert check_accessibility(page, "enterprise posting") == []

    # An applicant moves one step in a posting's pipeline.
    subnav = page.get_by_role("navigation", name="企业")
    subnav.get_by_role("link", name="实习岗位").click()
    expect(heading(page)).to_contain_text("的实习岗位")
    page.get_by_role("link", name=re.compile("申请人.*亚马逊店铺运营实习生")).click()
    settle(page)
    expect(heading(page)).to_contain_text("亚马逊店铺运营实习生")
    before = page.locator("section[aria-labelledby=col-shortlisted] li.card").count()
    page.get_by_role("button", name=re.compile("^入围")).first.click()
    settle(page)
    expect(page.locator("p.flash")).to_contain_text("已入围")
    expect(page.locator("section[aria-labelledby=col-shortlisted] li.card")).to_have_count(
        before + 1
    )
    assert check_accessibility(page, "enterprise applicants") == []

    # The students recommended for it, with their reasons.
    page.get_by_role("navigation", name="岗位").get_by_role("link", name="推荐学生").click()
    settle(page)
    expect(heading(page)).to_contain_text("推荐的学生")
    assert page.locator("ol.recommended li.card").count() > 0
    assert "匹配度" in page.inner_text("ol.recommended")
    assert check_accessibility(page, "enterprise recommended") == []
    snapshot(page, "enterprise")

    # The admins' webhooks page.
    page.get_by_role("navigation", name="企业").get_by_role("link", name="Webhook").click()
    expect(heading(page)).to_contain_text("Webhook")
    assert check_accessibility(page, "enterprise webhooks") == []

    # The match rounds its internships are in.
    page.get_by_role("navigation", name="企业").get_by_role("link", name="匹配轮次").click()
    expect(heading(page)).to_contain_text("匹配轮次")
    assert check_accessibility(page, "enterprise match rounds") == []

    # What awaits the enterprise's confirmation (courses and programmes).
    page.get_by_role("navigation", name="企业").get_by_role("link", name="待我方确认").click()
    expect(heading(page)).to_contain_text("确认的事项")
    expect(page.get_by_role("heading", level=2)).to_have_count(2)
    assert check_accessibility(page, "enterprise confirmations") == []
    assert page.errors == []
