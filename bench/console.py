"""Console pages at alliance scale: server time per page, and the dashboard's first
contentful paint in headless Chromium (issue 23).

    python3 -m uv run python bench/gen_alliance.py     # once: 100k internships, 200k students
    python3 -m uv run python bench/console.py --runs 50

Server time: every GET page of the console (found in the URL map, so a new page is timed
without editing this script) through the Flask test client with the production app on the
generated PostgreSQL database (BENCH_DATABASE_URL, as bench/gen_alliance.py), as the party
that reads it: the generated coordinator, the staff of the enterprise with the most postings
and of the university with the most students (created here if missing), and a student.
p50, p95 (nearest rank) and max per page; the in-process `/healthz` of the same run beside
them. Target: p95 < 100 ms per page.

First contentful paint: the app served by werkzeug in a thread, Chromium (Debian's, by path)
logging in as the coordinator through the form, then opening the dashboard in a fresh
browser context each time; the browser's own `first-contentful-paint` entry. Target < 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_alliance import DEFAULT_URL  # noqa: E402
from bench.harness import percentile  # noqa: E402

# Chromium as the browser tests start it (by path, nothing that reaches for the network).
from tests.console.live import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = "bench-console-2026"  # noqa: S105 - set on the generated users only


def setup_app():
    """The production app on the benchmark database."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    )
    from cbec_alliance import create_app

    app = create_app()
    app.config["SESSION_COOKIE_SECURE"] = False  # the benchmark's server is plain http
    return app


def parties(app) -> dict[str, dict]:
    """Each party's user id and the ids its pages take (staff made once, idempotently)."""
    import sqlalchemy as sa

    from cbec_alliance.accounts.models import User
    from cbec_alliance.accounts.services import hash_password
    from cbec_alliance.extensions import db
    from cbec_alliance.internships.models import Internship
    from cbec_alliance.organizations.models import Membership, Organization

    with app.app_context():
        enterprise = db.session.scalar(
            sa.select(Internship.enterprise_id)
            .group_by(Internship.enterprise_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        )
        university = db.session.scalar(
            sa.select(Membership.organization_id)
            .where(Membership.role == "student")
            .group_by(Membership.organization_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        )
        student = db.session.scalar(
            sa.select(Membership.user_id)
            .where(Membership.organization_id == university, Membership.role == "student")
            .limit(1)
        )
        coordinator = db.session.scalar(sa.select(User.id).where(User.email == "gov@bench.cn"))
        hashed = hash_password(PASSWORD)
        staff = {}
        for kind, org in (("enterprise", enterprise), ("university", university)):
            email = f"{kind}-staff@bench.cn"
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(email=email, name=f"{kind} 职员", password_hash=hashed)
                db.session.add(user)
                db.session.flush()
                db.session.add(Membership(user_id=user.id, organization_id=org, role="admin"))
            staff[kind] = user.id
        db.session.get(User, coordinator).password_hash = hashed
        posting = db.session.scalar(
            sa.select(Internship.id).where(Internship.enterprise_id == enterprise).limit(1)
        )
        db.session.commit()
        assert db.session.get(Organization, enterprise) is not None
    return {
        "coordinator": {"user": coordinator, "ids": {}},
        "enterprise": {
            "user": staff["enterprise"],
            "ids": {"org_id": enterprise, "internship_id": posting, "posting_id": posting},
        },
        "university": {"user": staff["university"], "ids": {"org_id": university}},
        "student": {"user": student, "ids": {"internship_id": posting}},
    }


PARTY_OF = {
    "console_monitoring": "coordinator",
    "console_reports": "coordinator",
    "console_rounds": "coordinator",
    "console_enterprise": "enterprise",
    "console_university": "university",
    "console_student": "student",
}


def pages(app, who: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(party, endpoint, url) for every console GET page whose arguments this run can fill."""
    from flask import url_for

    found, skipped = [], []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            blueprint = rule.endpoint.partition(".")[0]
            if blueprint not in PARTY_OF or "GET" not in (rule.methods or ()):
                continue
            party = PARTY_OF[blueprint]
            ids = who[party]["ids"]
            if not set(rule.arguments) <= set(ids):
                skipped.append(rule.rule)
                continue
            values = {k: ids[k] for k in rule.arguments}
            found.append((party, rule.endpoint, url_for(rule.endpoint, **values)))
    for rule in skipped:
        print(f"  (not timed, arguments this script does not fill: {rule})")
    return sorted(found)


def token(app, user_id: int) -> str:
    """A bearer token for `user_id` (console pages accept one, as the API does)."""
    from cbec_alliance.accounts.models import User
    from cbec_alliance.accounts.services import create_token
    from cbec_alliance.extensions import db

    with app.app_context():
        _, plain = create_token(db.session.get(User, user_id), "bench-console", 1)
        db.session.commit()
    return plain


def line(name: str, samples: list[float], target: float | None) -> str:
    """p50, p95 (nearest rank), max, and the target's verdict."""
    p95 = percentile(samples, 95)
    mark = "" if target is None else f"  {'met' if p95 < target else 'MISSED'} (< {target:g})"
    return (
        f"{name:<58} p50 {percentile(samples, 50):7.1f}  p95 {p95:7.1f}"
        f"  max {max(samples):7.1f} ms{mark}"
    )


def server_times(app, who, runs: int) -> None:
    """Time every console page as its party, and /healthz as the run's baseline."""
    client = app.test_client()
    headers = {p: {"Authorization": f"Bearer {token(app, who[p]['user'])}"} for p in who}
    baseline = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get("/healthz")
        baseline.append((time.perf_counter() - t) * 1000)
    print(line("/healthz (in-process baseline)", baseline, None))
    for party, _endpoint, url in pages(app, who):
        samples = []
        for k in range(runs + 2):
            t = time.perf_counter()
            resp = client.get(url, headers={**headers[party], "Accept-Language": "zh-CN"})
            elapsed = (time.perf_counter() - t) * 1000
            if resp.status_code != 200:
                raise SystemExit(f"{url} as {party}: {resp.status_code}")
            if k >= 2:  # the first two warm the process's caches
                samples.append(elapsed)
        print(line(f"{party:<11} {url}", samples, 100))


# The paint entry, waited for if the browser has not recorded it yet.
FCP = """() => new Promise(done => new PerformanceObserver((list, observer) => {
    for (const e of list.getEntries()) {
        if (e.name === 'first-contentful-paint') { observer.disconnect(); done(e.startTime); }
    }
}).observe({type: 'paint', buffered: true}))"""


def first_paint(app, runs: int) -> None:
    """The dashboard's first contentful paint in fresh browser contexts."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    paints, loads = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.goto(base + "/console/login")
            page.fill("#email", "gov@bench.cn")
            page.fill("#password", PASSWORD)
            page.click("button.primary")
            page.wait_for_url("**/console/**")
            page.goto(base + "/console/monitoring/")  # a full load, measured by the browser
            entry = page.evaluate(FCP)
            nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].duration")
            paints.append(entry)
            loads.append(nav)
            context.close()
        browser.close()
    server.shutdown()
    print(line("dashboard first contentful paint (Chromium)", paints, 1000))
    print(line("dashboard navigation, start to load end", loads, None))


def main() -> None:
    """Time the pages, then the paint."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--paints", type=int, default=10)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    app = setup_app()
    who = parties(app)
    server_times(app, who, args.runs)
    first_paint(app, args.paints)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
