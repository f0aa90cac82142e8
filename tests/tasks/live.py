"""Real Celery workers, Redis and an SMTP server on loopback, for pipeline tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    """An aiosmtpd handler that keeps every message; it can refuse mail for a while."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse = False
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        if self.refuse:
            self.refused += 1
            return "451 Requested action aborted: try again later"
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30.0) -> list:
        """Wait until `count` messages arrived (or time out) and return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 (a free port)."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Worker:
    """A `celery -A tasks worker` subprocess."""

    def __init__(
        self, env: dict[str, str], concurrency: int = 1, pool: str = "prefork", beat: bool = False
    ):
        self.env = {**os.environ, **env}
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tasks",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            f"--pool={pool}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if beat:
            # Embedded beat (the relay sweep); its schedule file stays in a temp dir.
            schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
            self.args += ["--beat", f"--schedule={schedule}"]
        self.proc: subprocess.Popen | None = None
        self.log = ROOT / "instance" / f"worker-{os.getpid()}-{time.monotonic_ns()}.log"

    def start(self, timeout: float = 60.0) -> Worker:
        """Start and wait for the worker's `ready` line."""
        self.log.parent.mkdir(exist_ok=True)
        out = self.log.open("wb")
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.output()}")
            if b" ready." in self.log.read_bytes():
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"worker did not become ready:\n{self.output()}")

    def output(self) -> str:
        """What the worker printed so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """kill -9 the worker and all its children (no graceful shutdown)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then kill if it lingers."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
