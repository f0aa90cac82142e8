"""Assertions on RFC 9457 problem responses, shared by every test package."""

from __future__ import annotations

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
