"""Password reset requests: the time of the answer for an address with an account and for
one without (issue 22: the same answer, and as far as reasonable the same work).

    python3 -m uv run python bench/password_reset.py --runs 300

In-process with the Flask test client on a fresh SQLite file (or TEST_DATABASE_URL), with a
broker's request path: tasks not in-process and the relay thread off, so the request does what
it does in production (where REDIS_URL is required) and the mail, made after the response by
the relay thread and a worker, is left out. Known and unknown requests interleaved; prints p50,
p95, p99 and the maximum of each. `--in-process` measures the embedded default instead, where
the mail is made and sent inside the request (no broker: tasks run in-process).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import summary, timed  # noqa: E402


def main() -> None:
    """Time known and unknown addresses, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.setdefault("TEST_DATABASE_URL", f"sqlite:///{folder}/reset.db")
    from cbec_alliance import create_app
    from cbec_alliance.accounts.services import register
    from cbec_alliance.extensions import db

    app = create_app("testing")
    unlimited = "1000000 per hour"
    app.config.update(
        {
            "OUTBOX_RELAY_THREAD": False,
            "PASSWORD_RESET_LIMIT_PER_IP": unlimited,
            "PASSWORD_RESET_LIMIT_PER_EMAIL": unlimited,
        }
    )
    if not args.in_process:
        app.extensions["celery"].conf.task_always_eager = False
    with app.app_context():
        db.create_all()
        register("known@example.cn", "correct horse battery", "李华", email_verified=True)
        db.session.commit()
    client = app.test_client()

    def ask(email: str):
        return lambda: client.post("/api/v1/auth/password-reset", json={"email": email})

    known, unknown = [], []
    for _ in range(args.runs):
        known += timed(ask("known@example.cn"), 1)
        unknown += timed(ask("nobody@example.cn"), 1)
    print(f"known address:   {summary(known)}")
    print(f"unknown address: {summary(unknown)}")


if __name__ == "__main__":
    main()
