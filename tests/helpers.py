"""Assertions on RFC 9457 problem responses, shared by every test package."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa

PROBLEM = "application/problem+json"


def assert_problem(resp, status: int) -> dict:
    """Assert a complete problem+json response with `status`; return its body."""
    assert resp.status_code == status, (resp.status_code, resp.data[:500])
    assert resp.mimetype == PROBLEM, resp.mimetype
    body = resp.get_json(force=True)
    assert body["status"] == status
    assert isinstance(body["type"], str)
    assert body["type"]
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if status != 422:
        assert "errors" not in body, "`errors` is only for validation problems"
    return body


def validation_errors(resp) -> dict[str, list[str]]:
    """Assert a 422 problem with per-field messages; return them."""
    body = assert_problem(resp, 422)
    errors = body["errors"]
    assert isinstance(errors, dict)
    assert errors
    for field, messages in errors.items():
        assert isinstance(field, str)
        assert messages
        assert all(isinstance(m, str) for m in messages)
    return errors


def at_once(*calls):
    """Run the calls in parallel threads; their results in order."""
    import threading

    results = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def held_at_barrier(monkeypatch, module, name: str, parties: int = 2):
    """Make `module.name` wait (up to 2 s) for `parties` callers after it returns.

    Without a row lock every request reads before any writes and they race; with the lock
    the later ones wait for the first commit, the barrier times out, and they read again.
    """
    import contextlib
    import threading

    barrier = threading.Barrier(parties, timeout=2)
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, held)


@contextlib.contextmanager
def statements_sent(engine):
    """A list of every SQL statement `engine` sends while the context is open (white space
    folded), for tests that count what a request or a call costs."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        sent.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
