"""Latency of reading a long thread (issue 24: a thread of 1,000 messages, p95 < 30 ms).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cbec_bench_threads \\
        python3 -m uv run python bench/threads.py --runs 200

Rebuilds the database (migrations), then makes an application whose thread has 1,000
messages (Chinese bodies of 20 to 400 characters) between its 5 participants (the student
and four of the enterprise's staff), every tenth message with a document attached. Through
the Flask test client with the production app and a bearer token, prints the load average,
the in-process `/healthz` as the baseline, and p50, p95 and max over `--runs` requests of:
- `GET /api/v1/threads/{id}/messages` with `per_page` 50, 100 and 1,000 (the whole thread
  in one page: the route takes up to 1,000);
- the whole thread read by pages of 100 (ten requests, timed together);
- `GET /api/v1/threads/{id}`, `GET /api/v1/threads` and `GET /api/v1/threads/unread`;
and the SQL statements one request of each sends. Target: the whole thread's p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_latency import report, tokens  # noqa: E402
from bench.gen_alliance import reset  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cbec_bench_threads"
TARGET_MS = 30.0


def build(app, messages: int) -> tuple[int, list[int]]:
    """The thread and its participants' user ids (the student first)."""
    import sqlalchemy as sa

    from cbec_alliance.accounts.models import User
    from cbec_alliance.applications.models import Application
    from cbec_alliance.conversations.models import Message, Participant, Thread
    from cbec_alliance.core.timeutil import utcnow
    from cbec_alliance.documents.models import Attachment, Document
    from cbec_alliance.extensions import db
    from cbec_alliance.internships.models import Internship
    from cbec_alliance.organizations.models import Membership, Organization

    rng = random.Random(24)
    with app.app_context():
        ent = Organization(
            kind="enterprise",
            name="广州云帆跨境电子商务有限公司",
            district="tianhe",
            status="approved",
        )
        uni = Organization(
            kind="university", name="广州商贸职业学院", district="panyu", status="approved"
        )
        db.session.add_all([ent, uni])
        db.session.flush()
        people = [
            User(email=f"p{i}@bench.cn", name=f"参与者{i}", password_hash="")  # noqa: S106
            for i in range(5)
        ]
        db.session.add_all(people)
        db.session.flush()
        db.session.add(Membership(user_id=people[0].id, organization_id=uni.id, role="student"))
        for user in people[1:]:
            db.session.add(Membership(user_id=user.id, organization_id=ent.id, role="staff"))
        today = dt.date.today()
        posting = Internship(
            enterprise_id=ent.id,
            title="跨境电商运营实习生",
            description="亚马逊店铺运营",
            category="operations",
            district="tianhe",
            mode="onsite",
            status="published",
            start_date=today,
            end_date=today + dt.timedelta(days=90),
            apply_by=today,
            hours_per_day=8,
            hours_per_week=40,
            slots=3,
        )
        db.session.add(posting)
        db.session.flush()
        application = Application(
            internship_id=posting.id, student_id=people[0].id, university_id=uni.id
        )
        db.session.add(application)
        db.session.flush()
        start = utcnow() - dt.timedelta(days=30)
        thread = Thread(subject="application", subject_id=application.id, created_at=start)
        db.session.add(thread)
        db.session.flush()
        text = "跨境电商直播运营数据分析选品物流报关客服" * 20
        rows = []
        for i in range(messages):
            length = rng.randint(20, 400)
            rows.append(
                {
                    "thread_id": thread.id,
                    "author_id": people[i % 5].id,
                    "body": text[:length],
                    "created_at": start + dt.timedelta(minutes=i),
                }
            )
        db.session.execute(sa.insert(Message), rows)
        ids = list(
            db.session.scalars(
                sa.select(Message.id).where(Message.thread_id == thread.id).order_by(Message.id)
            )
        )
        for n, message_id in enumerate(ids[::10]):
            author = people[(n * 10) % 5]
            doc = Document(
                uploaded_by_id=author.id,
                original_name=f"附件{n}.pdf",
                type="pdf",
                content_type="application/pdf",
                size=40_000 + n,
                sha256=f"{n:064d}",
                storage_key=f"bench/{n:08d}",
                attached_at=utcnow(),
            )
            db.session.add(doc)
            db.session.flush()
            db.session.add(Attachment(document_id=doc.id, kind="message", target_id=message_id))
        thread.last_message_id = ids[-1]
        thread.last_message_at = rows[-1]["created_at"]
        thread.message_count = len(ids)
        for user in people:
            db.session.add(
                Participant(thread_id=thread.id, user_id=user.id, last_read_message_id=ids[500])
            )
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        return thread.id, [u.id for u in people]


def timed(client, url: str, runs: int, headers: dict, query: dict | None = None) -> list[float]:
    """Milliseconds per GET (each must answer 200)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        resp = client.get(url, headers=headers, query_string=query or {})
        samples.append((time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{url} {query}: {resp.status_code} {resp.get_data(as_text=True)}")
    return samples


def statements(app, client, url: str, headers: dict, query: dict | None = None) -> int:
    """How many SQL statements one request sends."""
    import sqlalchemy as sa

    from cbec_alliance.extensions import db

    with app.app_context():
        engine = db.engine
    sent = []

    def count(*_args):
        sent.append(1)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url, headers=headers, query_string=query or {})
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def main() -> None:
    """Build, warm up, time and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    reset(url)
    from cbec_alliance import create_app, settle_process

    app = create_app()
    settle_process()
    thread_id, people = build(app, args.messages)
    [token] = tokens(app, people[:1])
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    base = f"/api/v1/threads/{thread_id}"
    timed(client, f"{base}/messages", 20, headers, {"per_page": 1000})  # warm up
    print(f"load average {os.getloadavg()}; {args.messages} messages, 5 participants, {url}")
    report("GET /healthz (baseline)", timed(client, "/healthz", args.runs, {}))
    for per_page in (50, 100, 1000):
        query = {"per_page": per_page}
        name = f"GET messages per_page={per_page}"
        target = TARGET_MS if per_page >= args.messages else None
        report(name, timed(client, f"{base}/messages", args.runs, headers, query), target)
        print(f"{'':<44} {statements(app, client, f'{base}/messages', headers, query)} statements")
    whole = []
    for _ in range(args.runs):
        started = time.perf_counter()
        for page in range(1, args.messages // 100 + 1):
            client.get(
                f"{base}/messages", headers=headers, query_string={"page": page, "per_page": 100}
            )
        whole.append((time.perf_counter() - started) * 1000)
    report("the whole thread by pages of 100 (together)", whole, TARGET_MS)
    for name, path in (
        ("GET thread", base),
        ("GET threads (list)", "/api/v1/threads"),
        ("GET threads/unread", "/api/v1/threads/unread"),
    ):
        report(name, timed(client, path, args.runs, headers))
        print(f"{'':<44} {statements(app, client, path, headers)} statements")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
