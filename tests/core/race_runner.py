"""Firing a race: the wave released at once in threads, in-process or over HTTP to gunicorn.

Shared by `tests/core/test_races.py` (one trial each, asserted) and `bench/races.py` (many
trials, counted).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

from tests.core.races import RACE_SETTINGS, SCENARIOS, Call

ROOT = Path(__file__).resolve().parents[2]


def fire(calls: list[Call], send: Callable[[Call], int]) -> list[int]:
    """Send every call from its own thread, all released at once; the status codes."""
    barrier = threading.Barrier(len(calls))
    codes: list[int] = [0] * len(calls)

    def run(k: int, call: Call) -> None:
        barrier.wait(timeout=30)
        codes[k] = send(call)

    threads = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return codes


def in_process(app) -> Callable[[Call], int]:
    """A sender through the app's test client (each call its own client and app context)."""

    def send(call: Call) -> int:
        headers = {"Authorization": f"Bearer {call.token}"}
        client = app.test_client()
        return client.open(
            call.path, method=call.method, json=call.body, headers=headers
        ).status_code

    return send


def over_http(base: str) -> Callable[[Call], int]:
    """A sender over HTTP to a server at `base` (a new connection per call)."""

    def send(call: Call) -> int:
        headers = {"Authorization": f"Bearer {call.token}"}
        response = requests.request(
            call.method, base + call.path, json=call.body, headers=headers, timeout=90
        )
        return response.status_code

    return send


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_uri: str, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """Gunicorn worker processes serving `database_uri` (in-process tasks); yields its URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TEST_REDIS_URL")}
    env.update(CBEC_CONFIG="testing", SECRET_KEY="race-test-secret")
    # The settings the scenarios race against (tests/core/races.py: RACE_SETTINGS).
    env.update({name: str(value) for name, value in RACE_SETTINGS.items()})
    if database_uri.startswith("sqlite"):
        env.pop("TEST_DATABASE_URL", None)
        env["DATABASE_URL"] = database_uri
    else:
        env["TEST_DATABASE_URL"] = database_uri
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "wsgi:app",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def run_trials(trials: int, models: list[str]) -> list[dict]:
    """Every scenario `trials` times per process model, on the database the environment
    names (schema rebuilt); one summary row per scenario and model."""
    from cbec_alliance import create_app
    from cbec_alliance.core.integrity import check
    from cbec_alliance.extensions import db
    from tests import factories
    from tests.conftest import _reset_schema, _truncate_all

    app = create_app("testing")
    app.config.update(RACE_SETTINGS)
    _reset_schema(app)
    rows = []
    for model in models:
        with contextlib.ExitStack() as stack:
            if model == "processes":
                send = over_http(
                    stack.enter_context(gunicorn(app.config["SQLALCHEMY_DATABASE_URI"]))
                )
            else:
                send = in_process(app)
            for _name, build in sorted(SCENARIOS.items()):
                total = {"won": 0, "places": 0, "rows": 0, "counter": 0, "errors": 0, "broken": 0}
                label = ""
                for _ in range(trials):
                    _truncate_all(app)
                    with app.app_context():
                        factories.bind(db.session)
                        race = build()
                        db.session.commit()
                    codes = fire(race.calls, send)
                    with app.app_context():
                        held, stored = race.readback()
                        broken = sum(1 for found in check().values() if found)
                    label = race.name
                    total["won"] += sum(1 for c in codes if 200 <= c < 300)
                    total["errors"] += sum(1 for c in codes if c >= 500)
                    total["places"] += race.places
                    total["rows"] += held
                    total["counter"] += stored
                    total["broken"] += broken
                rows.append({"scenario": label, "model": model, "trials": trials, **total})
    _truncate_all(app)
    return rows
