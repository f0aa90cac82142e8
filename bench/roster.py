"""Roster imports at a university's scale (issue 22): 20,000 students from an xlsx and a
csv, end to end.

    python3 -m uv run python bench/roster.py              # 20,000 rows
    python3 -m uv run python bench/roster.py --rows 5000

Rebuilds BENCH_DATABASE_URL (default the `cbec_bench_roster` database, created if missing)
through the migrations, makes one approved university with a staff member, then for each
file: uploads it over HTTP (the request reads and checks the file, stores its rows and
queues the task), runs the task's service as a worker would, and reads the import as the
client polls it. The end-to-end time is upload + task. Three imports:
- a csv of 20,000 new students (accounts, memberships, profiles, invitations, outbox);
- the same csv again (every row already a member: nothing is written);
- an xlsx of 20,000 other new students.
Target: each under 60 s. The invitations' emails are the workers' work after the commit
(the outbox relay is off here); BENCH_REDIS_URL (default Redis db 12) receives the task
message nobody consumes, flushed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_roster"
REDIS = "redis://127.0.0.1:6379/12"
HEADER = [
    "姓名 name",
    "学号 student_number",
    "邮箱 email",
    "专业 major",
    "毕业年份 graduation_year",
]
MAJORS = ["e-commerce", "电子商务", "International business", "marketing", "物流管理"]


def people(first: int, rows: int) -> list[list]:
    """`rows` students numbered from `first` (Chinese names, majors by code or label)."""
    return [
        [f"学生{k}", f"S{k:07d}", f"student{k}@bench.edu.cn", MAJORS[k % len(MAJORS)], 2026 + k % 4]
        for k in range(first, first + rows)
    ]


def csv_file(rows: list[list]) -> bytes:
    """A csv as Excel in China saves it as UTF-8: with a BOM."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_file(rows: list[list]) -> bytes:
    """An xlsx of one sheet."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def setup(app) -> tuple[int, str]:
    """One approved university and its staff member's bearer token."""
    from cbec_alliance.accounts.services import create_token, register
    from cbec_alliance.extensions import db
    from cbec_alliance.organizations.models import Membership, Organization

    with app.app_context():
        org = Organization(
            kind="university",
            name="广州跨境电商职业学院",
            district="panyu",
            status="approved",
            school_code="1400012345",
            level="vocational",
        )
        db.session.add(org)
        staff = register("staff@bench.edu.cn", "bench password 1", "教务处")
        db.session.add(Membership(user_id=staff.id, organization=org, role="staff"))
        _, token = create_token(staff, "bench", 1)
        db.session.commit()
        return org.id, token


def one(app, org_id: int, token: str, content: bytes, name: str, label: str) -> float:
    """Upload, run the task's service, poll; print and return the end-to-end seconds."""
    from cbec_alliance.core.db import commit
    from cbec_alliance.rosters import services

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    resp = client.post(
        f"/api/v1/organizations/{org_id}/roster-imports",
        data={"file": (io.BytesIO(content), name)},
        headers=headers,
        content_type="multipart/form-data",
    )
    upload = time.perf_counter() - started
    if resp.status_code != 202:
        raise SystemExit(f"upload: {resp.status_code} {resp.get_data(as_text=True)[:500]}")
    job_id = resp.get_json()["id"]
    with app.app_context():
        task_started = time.perf_counter()
        services.run(job_id)
        commit()
        task = time.perf_counter() - task_started
    job = client.get(
        f"/api/v1/organizations/{org_id}/roster-imports/{job_id}", headers=headers
    ).get_json()
    total = upload + task
    print(
        f"{label}: {len(content) / 1024:.0f} KiB, upload {upload:.2f} s + task {task:.2f} s = "
        f"{total:.2f} s end to end, {job['rows_total'] / total:,.0f} rows/s; {job['status']}, "
        f"rows {job['rows_done']}/{job['rows_total']}, created {job['created']}, "
        f"already_member {job['already_member']}, invalid {job['invalid']}  target < 60 s",
        flush=True,
    )
    return total


def main() -> None:
    """Rebuild the database, then import three files and print each one's time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    a = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("BENCH_REDIS_URL", REDIS)
    from bench.employment import make_app
    from bench.gen_alliance import reset

    reset(url)
    app = make_app(url)
    app.config["OUTBOX_RELAY_THREAD"] = False  # delivery is the workers' business
    org_id, token = setup(app)
    first = csv_file(people(1, a.rows))
    one(app, org_id, token, first, "名单.csv", f"csv, {a.rows:,} new students")
    one(app, org_id, token, first, "名单.csv", "the same csv again (all already members)")
    other = xlsx_file(people(a.rows + 1, a.rows))
    one(app, org_id, token, other, "名单.xlsx", f"xlsx, {a.rows:,} other new students")
    import redis

    redis.Redis.from_url(os.environ["BENCH_REDIS_URL"]).flushdb()


if __name__ == "__main__":
    main()
