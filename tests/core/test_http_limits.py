"""The HTTP edge: body size, URL and header limits answer problem+json, never a reset.

Through the test client, through Werkzeug's server on a real socket, and through gunicorn
started with the repository's gunicorn.conf.py (its limits, and its own refusals rewritten
as problem+json).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cbec_alliance.core.guards import (
    MAX_HEADER_BYTES,
    MAX_HEADER_FIELDS,
    MAX_URL_BYTES,
    discard_body,
)
from tests.helpers import PROBLEM, assert_problem

LOGIN = "/api/v1/auth/login"
LIMIT = 2 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _chunked(client, data: bytes):
    # A real server sets wsgi.input_terminated for a chunked body it de-chunks itself.
    return client.post(
        LOGIN,
        input_stream=io.BytesIO(data),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def _padded_login(size: int) -> bytes:
    """A login body of exactly `size` bytes (the email is padded)."""
    head, tail = b'{"password": "0123456789", "email": "', b'@example.cn"}'
    return head + b"a" * (size - len(head) - len(tail)) + tail


def test_a_chunked_body_over_the_limit_is_413_not_a_truncated_400(client):
    assert_problem(_chunked(client, _padded_login(LIMIT + 1)), 413)


def test_a_chunked_body_of_exactly_the_limit_is_read_and_validated(client):
    resp = _chunked(client, _padded_login(LIMIT))
    assert "email" in assert_problem(resp, 422)["errors"]


def test_any_body_over_the_limit_is_413_even_where_no_view_reads_it(client):
    big = b"x" * (LIMIT + 1)
    assert_problem(client.post("/api/v1/auth/logout", data=big, content_type="text/plain"), 413)
    assert_problem(client.get("/healthz", data=big, content_type="application/octet-stream"), 413)


def test_a_413_drains_what_the_client_still_sends():
    body = io.BytesIO(b"x" * 5000)
    environ = {"wsgi.input": body}
    assert discard_body(environ, 5000) == 5000
    assert body.read() == b""
    # Too much to swallow: left to the server, which closes the connection.
    assert discard_body({"wsgi.input": io.BytesIO(b"x" * 10)}, 10, limit=5) == 0
    # A chunked body ends by itself; one with no length and no end is never read (it blocks).
    chunked = {"wsgi.input": io.BytesIO(b"y" * 70_000), "wsgi.input_terminated": True}
    assert discard_body(chunked, None) == 70_000
    assert discard_body({"wsgi.input": io.BytesIO(b"z")}, None) == 0


def test_a_url_over_the_limit_is_414_problem(client):
    body = assert_problem(client.get("/api/v1/organizations?q=" + "x" * MAX_URL_BYTES), 414)
    assert str(MAX_URL_BYTES) in body["detail"]
    assert_problem(client.get("/api/v1/organizations/" + "9" * MAX_URL_BYTES), 414)
    assert client.get("/api/v1/organizations?q=" + "广" * 100).status_code == 200


def test_too_many_or_too_long_headers_are_431_problem(client):
    many = {f"X-Extra-{k}": "v" for k in range(MAX_HEADER_FIELDS + 1)}
    assert_problem(client.get("/healthz", headers=many), 431)
    body = assert_problem(
        client.get("/healthz", headers={"X-Long": "v" * (MAX_HEADER_BYTES + 1)}), 431
    )
    assert "X-Long" in body["detail"]
    assert client.get("/healthz", headers={"X-Long": "v" * 1000}).status_code == 200


def _exchange(connect, request: bytes, body_chunks=()) -> tuple[int, str, bytes]:
    """Send a raw request (all of it), read the whole answer: (status, content type, body)."""
    with connect() as sock:
        sock.settimeout(30)
        sock.sendall(request)  # a reset here fails the test: the 413 must come through
        for chunk in body_chunks:
            sock.sendall(chunk)
        received = b""
        while data := sock.recv(65536):
            received += data
    head, _, payload = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    headers = {k.lower(): v for k, v in fields.items()}
    if headers.get("transfer-encoding") == "chunked":
        payload = _dechunk(payload)
    return int(lines[0].split()[1]), headers.get("content-type", ""), payload


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size, _, rest = data.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            break
        out, data = out + rest[:length], rest[length + 2 :]
    return out


def _too_large_by_length(size: int) -> tuple[bytes, list[bytes]]:
    head = (
        f"POST {LOGIN} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head, [b"x" * 65536] * (size // 65536)


def _too_large_chunked(size: int) -> tuple[bytes, list[bytes]]:
    head = (
        f"POST {LOGIN} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"
    return head, [chunk] * (size // 65536) + [b"0\r\n\r\n"]


def _assert_problem_json(status: int, content_type: str, payload: bytes, expected: int) -> None:
    assert (status, content_type.split(";")[0]) == (expected, PROBLEM), payload[:300]
    assert json.loads(payload)["status"] == expected


@pytest.fixture
def werkzeug_server(app):
    """The app behind Werkzeug's threaded server on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield lambda: socket.create_connection(("127.0.0.1", server.server_port))
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.parametrize("framing", [_too_large_by_length, _too_large_chunked])
def test_werkzeug_server_answers_413_to_a_body_over_the_limit(werkzeug_server, framing):
    head, chunks = framing(3 * LIMIT)
    _assert_problem_json(*_exchange(werkzeug_server, head, chunks), 413)


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """gunicorn (sync worker) serving wsgi:app from the repository root, on a Unix socket.

    Started from the root, as in production, so it reads gunicorn.conf.py by itself.
    """
    path = tmp_path_factory.mktemp("gunicorn") / "app.sock"
    env = {**os.environ, "CBEC_CONFIG": "testing"}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"unix:{path}", "--workers", "1"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*command, "--no-control-socket", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if not path.exists():
        process.kill()
        pytest.fail("gunicorn did not start")

    def connect():
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(str(path))
        return sock

    # The socket exists before the worker has loaded the app; on a busy machine loading
    # takes longer than a test's read timeout, so wait until the app itself answers.
    while time.monotonic() < deadline + 120:
        with contextlib.suppress(OSError), connect() as sock:
            sock.settimeout(60)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            if sock.recv(64).startswith(b"HTTP/1.1 200"):
                break
        time.sleep(0.5)
    yield connect
    process.terminate()
    process.wait(timeout=30)


def test_gunicorn_refusals_are_problem_json(gunicorn_server):
    # Past gunicorn's request line (8190 bytes): gunicorn answers, in the API's format.
    line = b"GET /" + b"x" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    _assert_problem_json(*_exchange(gunicorn_server, line), 414)
    headers = b"".join(b"X-Extra-%d: v\r\n" % k for k in range(200))
    many = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + headers + b"\r\n"
    _assert_problem_json(*_exchange(gunicorn_server, many), 431)


def test_gunicorn_lets_the_app_answer_below_its_limits(gunicorn_server):
    # Between the app's limits and gunicorn's, the app answers (with its detail).
    url = b"GET /api/v1/organizations?q=" + b"x" * 8100 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    status, kind, payload = _exchange(gunicorn_server, url)
    _assert_problem_json(status, kind, payload, 414)
    assert b"8000 bytes" in payload
    headers = b"".join(b"X-Extra-%d: v\r\n" % k for k in range(MAX_HEADER_FIELDS + 10))
    many = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + headers + b"\r\n"
    _assert_problem_json(*_exchange(gunicorn_server, many), 431)


@pytest.mark.parametrize("framing", [_too_large_by_length, _too_large_chunked])
def test_gunicorn_413_reaches_the_client_without_a_reset(gunicorn_server, framing):
    # The sync worker closes the connection after each answer; had the app left the body
    # unread, the client would get a reset (EPIPE on send, ECONNRESET on read) instead.
    head, chunks = framing(5 * LIMIT)
    _assert_problem_json(*_exchange(gunicorn_server, head, chunks), 413)
