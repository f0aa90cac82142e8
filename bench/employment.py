"""Graduate destinations at alliance scale (issue 19): the employment report and a
20,000-row xlsx import.

    python3 -m uv run python bench/employment.py                  # generate, then measure
    python3 -m uv run python bench/employment.py --skip-generate  # measure again

Generates (PostgreSQL, set-based SQL as bench/gen_placements.py, deterministic) 300
universities, 2,000 enterprises, 1,000,000 graduates over 5 years (2022-2026; university 1
has 20,000 of them, the rest spread evenly), 20,000 internships, an accepted or completed
application for one graduate in 10 (at the enterprise a third of them later work for), and a
destination for 19 in 20 graduates: every outcome, half the contracts at an alliance
enterprise (confirmed, pending or disputed), locations across Guangzhou's districts and
other provinces, salary bands. Then prints:
- `GET /api/v1/monitoring/employment?year=2026` through the Flask test client for a
  coordinator (all; one university), a university's staff and an enterprise's staff: the
  first request (computes the snapshot) and p50/p95 of json, csv and xlsx after it; target
  p95 < 300 ms;
- the compute of the whole alliance's report without the snapshot (what beat or the first
  request after the refresh interval pays);
- a 20,000-row import for university 1 (new destinations of 2027, a third at alliance
  enterprises), uploaded over HTTP, run by the task's service, and run again (every row
  then replaces a report); target < 30 s each.

BENCH_DATABASE_URL (default the `test_ha` database) is wiped and rebuilt by the migrations;
BENCH_REDIS_URL (default Redis db 11) receives the task message nobody consumes (flushed at
the end).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gen_alliance  # noqa: E402
from bench.harness import summary  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test_ha"
REDIS = "redis://127.0.0.1:6379/11"
URL = "/api/v1/monitoring/employment"
LOCATIONS = [
    "440106", "440105", "440113", "440111", "440104", "440112", "440100", "440300",
    "440600", "441900", "310000", "330000", "110000", "350000", "430000", "510000",
]  # fmt: skip
BANDS = ["below-4000", "4000-6000", "6000-8000", "8000-10000", "10000-15000", "above-15000"]
OUTCOMES = (
    "(ARRAY['employed-contract','employed-contract','employed-contract','employed-contract',"
    "'employed-contract','employed-contract','employed-contract','employed-contract',"
    "'employed-contract','employed-contract','flexible','flexible','flexible','self-employed',"
    "'further-study','further-study','study-abroad','military','not-employed','other'])"
)
BIG = 20_000  # graduates of university 1, the importing one


def statements(a, v) -> list[tuple[str, str]]:
    """(label, SQL) in order; `a` carries the counts, `v` the taxonomy's codes."""
    base = {label: sql for label, sql in gen_alliance.statements(a, v)}
    u, e, n = a.universities, a.enterprises, a.students
    ent_first = 1 + u
    staff = n + 2
    uni = f"CASE WHEN g <= {BIG} THEN 1 ELSE 1 + g % {u} END"
    p = gen_alliance._pick
    return [
        *((k, base[k]) for k in ("seed", "organizations", "org sequence", "users", "coordinator")),
        (
            "staff users",
            f"""INSERT INTO users (id, email, name, password_hash, platform_role, language,
                is_active, created_at, password_changed_at)
            VALUES ({staff}, 'uni@bench.cn', '院校老师', 'x', 'user', 'zh', true, now(),
                    now()),
                   ({staff + 1}, 'ent@bench.cn', '企业HR', 'x', 'user', 'zh', true, now(),
                    now())""",
        ),
        ("user sequence", base["user sequence"]),
        (
            "memberships",
            f"""INSERT INTO memberships (user_id, organization_id, role, created_at)
            SELECT g, {uni}, 'student', now() FROM generate_series(1, {n}) g
            UNION ALL VALUES ({staff}, 1, 'staff', now()),
                             ({staff + 1}, {ent_first}, 'staff', now())""",
        ),
        (
            "student_profiles",
            f"""INSERT INTO student_profiles (user_id, university_id, major, graduation_year, bio,
                created_at, updated_at)
            SELECT g, {uni}, {p(v["majors"], "g * 13 + g / 7")}, 2022 + g % 5, '跨境电商',
                now(), now()
            FROM generate_series(1, {n}) g""",
        ),
        ("internships", base["internships"]),
        ("internship sequence", base["internship sequence"]),
        (
            "applications",
            f"""INSERT INTO applications (internship_id, student_id, university_id, status,
                created_at, updated_at, status_changed_at)
            SELECT 1 + (g / 10) % {a.internships}, g, {uni},
                CASE WHEN g % 20 = 0 THEN 'completed' ELSE 'accepted' END, now(), now(), now()
            FROM generate_series(1, {n}) g WHERE g % 10 = 0""",
        ),
        (
            "destinations",
            f"""INSERT INTO destinations (student_id, university_id, major, graduation_year,
                outcome, employer_id, employer_name, employer_uscc, location_code, industry,
                cbec_related, related_to_major, salary_band, source, reported_by_id,
                confirmation, confirmed_at, dispute_reason, created_at, updated_at)
            SELECT g, university_id, major, graduation_year, outcome,
                CASE WHEN emp AND g % 2 = 0 THEN
                    CASE WHEN g % 10 = 0 THEN {ent_first} + ((1 + (g / 10) % {a.internships})
                        % {e}) ELSE {ent_first} + g % {e} END END,
                CASE WHEN emp AND g % 2 = 1 THEN '广州某跨境公司' || g END,
                CASE WHEN emp AND g % 2 = 1 THEN lpad(g::text, 18, '0') END,
                {p(LOCATIONS, "g * 7 + g / 3")}, '跨境电商', g % 3 <> 0, g % 4 <> 0,
                CASE WHEN emp THEN {p(BANDS, "g * 5 + g / 11")} END, 'staff', {staff},
                CASE WHEN NOT (emp AND g % 2 = 0) THEN 'not_required'
                     WHEN g % 10 < 6 THEN 'confirmed' WHEN g % 10 < 9 THEN 'pending'
                     ELSE 'disputed' END,
                CASE WHEN emp AND g % 2 = 0 AND g % 10 < 6 THEN now() END,
                CASE WHEN emp AND g % 2 = 0 AND g % 10 = 9 THEN '未入职' END, now(), now()
            FROM (SELECT user_id AS g, university_id, major, graduation_year,
                         {OUTCOMES}[1 + (user_id * 7 + user_id / 20) % 20] AS outcome
                  FROM student_profiles WHERE user_id % 20 <> 7) s,
                LATERAL (SELECT s.outcome IN ('employed-contract', 'flexible',
                                               'self-employed') AS emp) x""",
        ),
        ("analyze", "VACUUM ANALYZE"),
    ]


def generate(a, url: str) -> None:
    """Build the database, printing each step's time."""
    import psycopg

    t0 = time.perf_counter()
    gen_alliance.reset(url)
    with psycopg.connect(url, autocommit=True) as conn:
        for label, sql in statements(a, gen_alliance.vocabularies(conn)):
            started = time.perf_counter()
            cur = conn.execute(sql)
            rows = f"{cur.rowcount:,} rows" if cur.rowcount >= 0 else ""
            print(f"{label:<22} {time.perf_counter() - started:6.1f} s  {rows}", flush=True)
    print(f"generated in {time.perf_counter() - t0:.1f} s  ({url})", flush=True)


def make_app(url: str):
    """The production app on the benchmark database (monitoring snapshots as configured)."""
    os.environ.update(
        CBEC_CONFIG="production",
        SECRET_KEY="bench-" + "x" * 32,
        DATABASE_URL=url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", REDIS),
    )
    from cbec_alliance import create_app, settle_process

    app = create_app()
    settle_process()
    return app


def _timed(client, headers: dict, runs: int, query: dict) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        resp = client.get(URL, query_string=query, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{URL} {query}: {resp.status_code} {resp.get_data(as_text=True)}")
    return out


def report(app, a, runs: int) -> None:
    """The report per caller and format, then the whole alliance's compute alone."""
    from bench.api_latency import tokens

    staff = a.students + 2
    coordinator, uni_staff, ent_staff = tokens(app, [a.students + 1, staff, staff + 1])
    client = app.test_client()
    callers = {
        "coordinator": (coordinator, {}),
        "coordinator, one university": (coordinator, {"organization_id": 2}),
        "university staff": (uni_staff, {}),
        "enterprise staff": (ent_staff, {}),
    }
    for name, (token, query) in callers.items():
        headers = {"Authorization": f"Bearer {token}"}
        query = {**query, "year": 2026}
        cold = _timed(client, headers, 1, query)[0]
        print(f"monitoring/employment {name}: first request (computes) {cold:8.1f} ms")
        for fmt in ("json", "csv", "xlsx"):
            samples = _timed(client, headers, runs, {**query, "format": fmt})
            print(f"  {fmt:<5} {summary(samples)}  target p95 < 300 ms", flush=True)
    from cbec_alliance.extensions import db
    from cbec_alliance.insights.employment import employment

    with app.app_context():
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            employment(2026)
            samples.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
    print(f"compute of the whole alliance's report (no snapshot): {summary(samples)}")


def workbook(rows: int, a) -> bytes:
    """An xlsx of `rows` destinations of 2027 for university 1's first graduates."""
    from openpyxl import Workbook

    from cbec_alliance.organizations.codes import uscc_check_char

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        ["学生ID", "毕业年份", "去向", "单位ID", "单位名称", "统一社会信用代码", "地区代码",
         "行业", "跨境电商相关", "专业相关", "月薪区间"]
    )  # fmt: skip
    for g in range(1, rows + 1):
        body = f"91440101MA{g:07d}"
        if g % 3 == 0:
            employer = [2 + a.universities - 1 + g % a.enterprises, None, None]
        else:
            employer = [None, f"广州跨境电商{g}有限公司", body + uscc_check_char(body)]
        sheet.append(
            [g, 2027, "签约就业", *employer, LOCATIONS[g % len(LOCATIONS)], "跨境电商运营",
             "是", "是" if g % 2 else "否", BANDS[g % len(BANDS)]]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_rows(app, a, rows: int) -> None:
    """Upload over HTTP, run the task's service (twice: inserts, then replacements)."""
    from bench.api_latency import tokens
    from cbec_alliance.core.db import commit
    from cbec_alliance.destinations import imports

    content = workbook(rows, a)
    print(f"import file: {rows:,} rows, {len(content) / 1024:.0f} KiB")
    (token,) = tokens(app, [a.students + 2])
    client = app.test_client()
    for attempt in ("new destinations", "the same rows again (replacing)"):
        started = time.perf_counter()
        resp = client.post(
            "/api/v1/destinations/imports",
            data={"file": (io.BytesIO(content), "去向.xlsx")},
            headers={"Authorization": f"Bearer {token}"},
            content_type="multipart/form-data",
        )
        upload = time.perf_counter() - started
        if resp.status_code != 202:
            raise SystemExit(f"upload: {resp.status_code} {resp.get_data(as_text=True)[:500]}")
        job_id = resp.get_json()["id"]
        with app.app_context():
            started = time.perf_counter()
            result = imports.run(job_id)
            commit()
            took = time.perf_counter() - started
        job = client.get(
            f"/api/v1/destinations/imports/{job_id}", headers={"Authorization": f"Bearer {token}"}
        ).get_json()
        print(
            f"import of {attempt}: upload {upload:.2f} s, task {took:.2f} s -> {result}, "
            f"state {job['state']}, rows {job['rows_done']}/{job['rows_total']}  target < 30 s",
            flush=True,
        )


def main() -> None:
    """Generate (unless told not to), then measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graduates", type=int, default=1_000_000)
    parser.add_argument("--universities", type=int, default=300)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--internships", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--skip-generate", action="store_true")
    a = parser.parse_args()
    a.students = a.graduates
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("BENCH_REDIS_URL", REDIS)
    if not a.skip_generate:
        generate(a, url)
    app = make_app(url)
    report(app, a, a.runs)
    import_rows(app, a, a.import_rows)
    import redis

    redis.Redis.from_url(os.environ["BENCH_REDIS_URL"]).flushdb()


if __name__ == "__main__":
    main()
