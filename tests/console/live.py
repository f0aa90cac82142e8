"""A live console for the browser tests: the README's demo (`flask serve-demo`) in a process of
its own, on a fresh SQLite file or a fresh PostgreSQL database, and Chromium to drive it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CBEC_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium, started the way this machine allows: no sandbox as root, and nothing
# that reaches for Google's servers (the network is closed; those attempts only slow it).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("CBEC_BROWSER_ARTIFACTS", ROOT / "build" / "browser"))
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the demo's printed password


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        return f"Chromium not found at {CHROMIUM} (.ci/run installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (uv sync installs the dev group)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres(url: str, suffix: str) -> str:
    """A new empty database beside `url`'s, named `<its name>_<suffix>`; its URL."""
    import psycopg
    from psycopg import sql

    base = sa.make_url(url)
    name = f"{base.database}_{suffix}"
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base.set(database=name).render_as_string(hide_password=False)


class LiveServer:
    """`flask serve-demo` on a free port with `database_url`; `url` once it answers."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("REDIS_URL", "CELERY_BROKER_URL", "PYTEST_XDIST_WORKER")
        }
        env.update(
            CBEC_CONFIG="development",
            DATABASE_URL=database_url,
            SECRET_KEY="browser-tests-" + os.urandom(8).hex(),
            LOG_FORMAT="text",
            PYTHONUNBUFFERED="1",
        )
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        self._out = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi",
                "serve-demo",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self, timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve-demo exited: see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"serve-demo did not answer within {timeout} s: see {self.log}")

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()
