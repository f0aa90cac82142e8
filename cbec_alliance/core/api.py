"""flask-smorest Api that answers every error as application/problem+json."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, json
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

PROBLEM_MIMETYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error of this API is shaped."""

    type = ma.fields.String(metadata={"description": "A URI naming the problem type"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation messages per field (422 only)"},
    )


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turn webargs/marshmallow nested messages into {"a.b.0.c": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, (dict, list)) and not _is_message_list(value):
                out.update(_flatten(value, name))
            else:
                out[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
    elif isinstance(messages, list):
        out[prefix or "_schema"] = [str(m) for m in messages]
    else:
        out[prefix or "_schema"] = [str(messages)]
    return out


def _is_message_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """Build an application/problem+json response."""
    from werkzeug.http import HTTP_STATUS_CODES

    title = title or HTTP_STATUS_CODES.get(status, "Error")
    body = {
        "type": f"https://cbec-alliance.example/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _webargs_errors(messages) -> dict[str, list[str]]:
    # webargs keys messages by location ({"json": {...}, "query": {...}}); clients want fields.
    merged: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for location, value in messages.items():
            if location in (
                "json",
                "query",
                "querystring",
                "form",
                "files",
                "headers",
                "view_args",
                "path",
                "cookies",
            ):
                merged.update(_flatten(value))
            else:
                merged.update(_flatten({location: value}))
    else:
        merged.update(_flatten(messages))
    return merged


class ProblemApi(Api):
    """Api whose error handler speaks problem+json for every HTTP error."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        """Render any HTTPException (ours, Flask's, webargs') as problem+json."""
        data = getattr(error, "data", None) or {}
        status = error.code or 500
        headers = dict(data.get("headers") or {})
        errors = None
        detail = data.get("message") or error.description
        if "errors" in data:
            errors = _flatten(data["errors"])
        elif "messages" in data:
            errors = _webargs_errors(data["messages"])
            if status == 400:
                # Malformed JSON: say so plainly.
                detail = "The request body is not valid JSON."
                errors = None
            elif status == 422:
                detail = "Validation failed for: " + ", ".join(sorted(errors))
        if status == 429:
            detail = f"Too many requests: {error.description}"
            retry = getattr(error, "retry_after", None)
            if retry is not None and "Retry-After" not in headers:
                headers["Retry-After"] = str(retry)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem_response(status, detail, errors=errors, headers=headers)
