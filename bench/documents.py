"""Document upload and download throughput against a plain file route (issue 24).

    python3 -m uv run python bench/documents.py               # 10 MiB, 8 rounds
    python3 -m uv run python bench/documents.py --mib 10 --rounds 12

A fresh SQLite database and storage directory in a temporary directory; the app under
gunicorn (2 workers, gthread, bench/harness.py) and `bench/hello_app.py` under the same
settings, whose `/plain-file` route answers the same bytes from disk (Flask's `send_file`)
and whose `/plain-upload` saves a multipart file to disk (`FileStorage.save`): the "plain
file copy through the same gunicorn". One client, one request at a time; each round times an
upload and a download on each server, interleaved, and the ratio is the median of the rounds'
ratios. Target: the app at least 50% of the plain routes' MB/s, each way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402

from bench.harness import ROOT, gunicorn  # noqa: E402

MIB = 1024 * 1024


def payload(mib: int) -> bytes:
    """A PDF of `mib` MiB (a header, then random bytes: nothing compresses or repeats)."""
    return b"%PDF-1.7\n" + secrets.token_bytes(mib * MIB - 9)


def prepare(workdir: Path) -> tuple[dict[str, str], str]:
    """The app's environment (SQLite, local storage) with its schema, and a bearer token."""
    env = {
        "CBEC_CONFIG": "production",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "SECRET_KEY": secrets.token_hex(16),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        "DOCUMENT_STORAGE_PATH": str(workdir / "documents"),
        "LOG_FORMAT": "json",
        "OUTBOX_RELAY_THREAD": "0",
    }
    os.environ.update(env)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    subprocess.run(flask, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    from cbec_alliance import create_app
    from cbec_alliance.accounts.services import create_token, register
    from cbec_alliance.extensions import db

    app = create_app()
    with app.app_context():
        user = register("bench@documents.example", "bench password 1", "文件测试")
        _, token = create_token(user, "bench", 1)
        db.session.commit()
    return env, token


def timed(call) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    """Start both servers, run the rounds, print MB/s each way and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=8)
    a = parser.parse_args()
    data = payload(a.mib)
    digest = hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory(prefix="cbec-bench-docs-") as tmp:
        workdir = Path(tmp)
        env, token = prepare(workdir)
        plain = workdir / "plain.pdf"
        plain.write_bytes(data)
        auth = {"Authorization": f"Bearer {token}"}
        plain_env = {"BENCH_PLAIN_FILE": str(plain), "BENCH_PLAIN_DIR": str(workdir)}
        with (
            gunicorn("wsgi:app", 1, env=env) as app_url,
            gunicorn("bench.hello_app:app", 2, env=plain_env, health="/") as plain_url,
        ):
            session = requests.Session()
            doc_id = None

            def upload_app():
                nonlocal doc_id
                files = {"file": ("协议.pdf", data, "application/pdf")}
                resp = session.post(f"{app_url}/api/v1/documents", files=files, headers=auth)
                assert resp.status_code == 201, resp.text[:300]
                assert resp.json()["sha256"] == digest
                doc_id = resp.json()["id"]

            def download_app():
                resp = session.get(f"{app_url}/api/v1/documents/{doc_id}/content", headers=auth)
                assert resp.status_code == 200 and len(resp.content) == len(data)

            def upload_plain():
                files = {"file": ("协议.pdf", data, "application/pdf")}
                resp = session.post(f"{plain_url}/plain-upload", files=files)
                assert resp.status_code == 201, resp.text[:300]

            def download_plain():
                resp = session.get(f"{plain_url}/plain-file")
                assert resp.status_code == 200 and len(resp.content) == len(data)

            for call in (upload_app, download_app, upload_plain, download_plain):  # warm up
                call()
            rounds: dict[str, list[float]] = {k: [] for k in ("up", "down", "up0", "down0")}
            for _ in range(a.rounds):
                rounds["up0"].append(timed(upload_plain))
                rounds["up"].append(timed(upload_app))
                rounds["down0"].append(timed(download_plain))
                rounds["down"].append(timed(download_app))
    report(a.mib, rounds)


def report(mib: int, rounds: dict[str, list[float]]) -> None:
    """MB/s (medians) and the median of the per-round ratios."""
    size = mib * MIB / 1e6

    def rate(name: str) -> float:
        return size / statistics.median(rounds[name])

    load = os.getloadavg()
    print(f"documents bench: {mib} MiB, {len(rounds['up'])} rounds, load average {load[0]:.2f}")
    for way, app_key, plain_key in (("upload", "up", "up0"), ("download", "down", "down0")):
        ratios = [p / q for p, q in zip(rounds[plain_key], rounds[app_key], strict=True)]
        print(
            f"  {way}: app {rate(app_key):.0f} MB/s, plain route {rate(plain_key):.0f} MB/s, "
            f"ratio {statistics.median(ratios):.0%} (rounds "
            f"{', '.join(f'{r:.0%}' for r in ratios)})  target >= 50%"
        )


if __name__ == "__main__":
    main()
