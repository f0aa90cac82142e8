"""Console fixtures: HTML helpers for the test-client tests, and for the browser journeys a
live demo server per database, Chromium through Playwright, screenshots and an axe check."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest

from tests.console.live import (
    ARTIFACTS,
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    LiveServer,
    chromium_missing,
    fresh_postgres,
)

REQUIRE_SERVICES = os.environ.get("CBEC_REQUIRE_SERVICES") == "1"
# Every page the journeys checked with axe, and what it found (for the closing figures).
# One log per xdist worker: the journeys are spread over the workers, each with its servers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
AXE_LOG = ARTIFACTS / f"axe-{WORKER}.jsonl"


def text_of(resp) -> str:
    """A response's HTML as text with the tags and extra white space taken out."""
    body = resp.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def csrf_of(resp) -> str:
    """The CSRF token a console page carries in its forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', resp.get_data(as_text=True))
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture(scope="session")
def _browser_ready():
    reason = chromium_missing()
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(reason + " (CBEC_REQUIRE_SERVICES=1)")
        pytest.skip(reason)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live(request, _browser_ready):
    """The demo served by `flask serve-demo` on SQLite, then on PostgreSQL."""
    kind = request.param
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="cbec-browser-"))
        url = f"sqlite:///{folder / 'console.db'}"
    else:
        base = os.environ.get("TEST_DATABASE_URL", "")
        if not base.startswith("postgresql"):
            if REQUIRE_SERVICES:
                pytest.fail("TEST_DATABASE_URL is not PostgreSQL (CBEC_REQUIRE_SERVICES=1)")
            pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
        url = fresh_postgres(base, "browser")
    server = LiveServer(url, ARTIFACTS / f"server-{kind}-{WORKER}.log")
    server.kind = kind  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(_browser_ready):
    """Debian's Chromium, launched by path (no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    AXE_LOG.unlink(missing_ok=True)  # this run's pages only
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item (for the screenshot on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(request, chromium, live):
    """A fresh browser context at phone or desk width; a screenshot is saved on failure, and
    any Content-Security-Policy violation or script error fails the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    tab.on(
        "console",
        lambda msg: (
            errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    tab.live = live  # type: ignore[attr-defined]
    tab.errors = errors  # type: ignore[attr-defined]
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(ARTIFACTS / f"FAILED-{name}.png"), full_page=True)
    context.close()


def log_in(tab, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the console's form, as a person would."""
    tab.goto(tab.live.url + "/console/login")
    tab.get_by_label(re.compile("邮箱|Email")).fill(email)
    tab.get_by_label(re.compile("密码|Password")).fill(password)
    tab.get_by_role("button", name=re.compile("登录|Log in")).click()
    tab.wait_for_load_state("networkidle")


def check_accessibility(tab, name: str) -> list[dict]:
    """Run axe-core (WCAG 2 A and AA rules) in the page; record the result; the serious and
    critical violations (the caller asserts there are none)."""
    tab.evaluate(AXE.read_text("utf-8"))  # evaluated by the driver, not an inline script
    result = tab.evaluate(
        "async () => { const r = await axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}); "
        "return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.length, help: v.help})), passes: r.passes.length}; }"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with AXE_LOG.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"page": name, "url": tab.url, **result}, ensure_ascii=False) + "\n")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def snapshot(tab, name: str) -> Path:
    """Save a full-page screenshot of the journey's page under build/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{tab.live.kind}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
