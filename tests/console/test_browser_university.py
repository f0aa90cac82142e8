"""A university admin's journey in a real browser, on the demo served from SQLite and from
PostgreSQL: log in, the students (searched), the placements and one of them, the roster
import page and the recommended partners in two modes; every page checked with axe."""

from __future__ import annotations

import re

from tests.console.conftest import check_accessibility, log_in, snapshot


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _subnav(page, link: str, path: str) -> None:
    page.get_by_role("navigation", name="高校").get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(re.compile(path + "$"))  # htmx boosts the link: wait for the address
    page.wait_for_load_state("networkidle")


def test_university_journey(page):
    log_in(page, "admin4@demo.cbec-alliance.cn")
    # One area only: straight to the students of Guangzhou Commerce Vocational College.
    assert re.search(r"/console/university/\d+/students$", page.url)
    assert _heading(page) == "学生"
    assert "广州商贸职业学院" in page.inner_text("main")
    assert "student4-2@demo.cbec-alliance.cn" in page.inner_text("table")
    assert check_accessibility(page, "university students") == []

    page.get_by_label("姓名或邮箱").fill("4-1")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"q=4-1"))
    page.wait_for_load_state("networkidle")
    rows = page.inner_text("table")
    assert "student4-1@demo.cbec-alliance.cn" in rows
    assert "student4-2@demo.cbec-alliance.cn" not in rows
    assert check_accessibility(page, "university students searched") == []

    _subnav(page, "名单导入", "/roster")
    assert _heading(page) == "名单导入"
    assert page.get_by_label("名单文件（xlsx 或 csv）").count() == 1
    assert check_accessibility(page, "university roster") == []

    _subnav(page, "实习安置", "/placements")
    assert _heading(page) == "本校学生的实习安排"
    assert check_accessibility(page, "university placements") == []
    page.get_by_role("link", name=re.compile(r"实习安排 \d+")).first.click()
    page.wait_for_url(re.compile(r"/placements/\d+$"))
    page.wait_for_load_state("networkidle")
    assert _heading(page).startswith("实习安排 ")
    main = page.inner_text("main")
    for part in ("实习协议", "保险", "导师", "开始前尚缺"):
        assert part in main
    assert check_accessibility(page, "university placement") == []

    _subnav(page, "推荐的合作伙伴", "/partners")
    assert _heading(page) == "推荐的合作伙伴"
    assert "匹配度" in page.inner_text("main")
    assert "开设专业" in page.inner_text("main")  # a reason
    assert check_accessibility(page, "university partners") == []
    # Another mode, through htmx (the address follows).
    page.get_by_label("合作模式").select_option("lectures")
    page.wait_for_url(re.compile(r"mode=lectures"))
    page.wait_for_load_state("networkidle")
    assert check_accessibility(page, "university partners lectures") == []
    _subnav(page, "课程", "/courses")
    assert _heading(page) == "我校的共建课程"
    assert check_accessibility(page, "university courses") == []
    _subnav(page, "实训基地", "/training-bases")
    assert _heading(page) == "我校参与的实训基地"
    assert check_accessibility(page, "university training bases") == []
    snapshot(page, "university")
    assert page.errors == []
