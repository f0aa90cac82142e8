"""flask-smorest Api that answers every error as application/problem+json."""

from __future__ import annotations

import http
import re
import time

import marshmallow as ma
from apispec import BasePlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Response, current_app, has_request_context, json, request, url_for
from flask_babel import gettext as _
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from cbec_alliance.core import examples
from cbec_alliance.core.docs import swagger_ui_page
from cbec_alliance.core.i18n import translate_errors
from cbec_alliance.core.schemas import INT32_MAX

PROBLEM_MIMETYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error of this API is shaped."""

    type = ma.fields.String(
        required=True, metadata={"description": "A URI naming the problem type"}
    )
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation messages per field (422 only)"},
    )
    rules = ma.fields.List(
        ma.fields.Dict(),
        metadata={"description": "Rules a lifecycle step would break: `[{code, message}]`"},
    )
    email_verified = ma.fields.Boolean(
        metadata={
            "description": "Whether the caller's email address is verified, when that is why "
            "a request was refused (403: verify first; 409: already verified)"
        }
    )
    waiting_for = ma.fields.List(
        ma.fields.Dict(),
        metadata={
            "description": "Whom a blocked lifecycle step waits for (409): "
            "`[{party, id, name, action}]`, also named in `detail`"
        },
    )
    vocabularies = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The valid vocabulary names (404 for an unknown vocabulary)"},
    )
    organizations = ma.fields.List(
        ma.fields.Integer(),
        metadata={
            "description": "The organizations that would be left without an admin (409 "
            "refusing an account's erasure)"
        },
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
    extra: dict | None = None,
) -> Response:
    """Build an application/problem+json response (`extra`: extension members), its title
    and detail in the request's language (`detail` may be a msgid or already translated)."""
    from werkzeug.http import HTTP_STATUS_CODES

    title = _(title or HTTP_STATUS_CODES.get(status, "Error"))
    detail = _(detail) if detail else None
    body = {
        "type": f"https://cbec-alliance.example/problems/{status}",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    # "replace": a message echoing a client's lone surrogate must not turn a 4xx into a 500.
    text = json.dumps(body, ensure_ascii=False).encode("utf-8", "replace")
    resp = Response(text, status=status, mimetype=PROBLEM_MIMETYPE)
    resp.vary.add("Accept-Language")
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
                "multipart",  # form fields and files together (documents' upload)
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


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class ProblemResponsesPlugin(BasePlugin):
    """Document every error response as application/problem+json.

    `@blp.alt_response(4xx/5xx, description=...)` without a schema would otherwise document
    an error with no body, and clients (and schemathesis) could not check it.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Give each bodiless 4xx/5xx response the Problem body."""
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            for code, response in (operation.get("responses") or {}).items():
                if not str(code).isdigit() or int(code) < 400:
                    continue
                if isinstance(response, dict) and "$ref" not in response:
                    response.setdefault("content", {PROBLEM_MIMETYPE: {"schema": _PROBLEM_REF}})


# The header a cookie-authenticated write carries (accounts.auth checks it; core cannot
# import accounts; tests/test_openapi_rules.py checks the two agree).
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = ("post", "put", "patch", "delete")
# A write: a bearer token, or the session cookie together with its CSRF token.
WRITE_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"cookie": [], "csrf": []}]


class OperationRulesPlugin(BasePlugin):
    """What every operation documents, by rule, in one place.

    - `operationId`: the view's endpoint and the method (`organizations.Organization.patch`
      is `organizations_Organization_patch`), unique.
    - Writes (POST, PUT, PATCH, DELETE) that need a login take a bearer token, or the
      session cookie with the `X-CSRF-Token` header (the `csrf` scheme): Swagger UI's
      Authorize dialog then sends the header with every write.
    - Standard problem responses: 401 and 403 where a login is needed (403 also for a
      write whose CSRF token is missing), 404 where the path names a row, 422 where a body
      or query arguments are read, 409 on every write (a conflict with existing data, or a
      lifecycle step the state refuses).
    - Property examples a schema does not give (`core.examples`).
    """

    operation_ids: set[str]

    def init_spec(self, spec):
        """Keep the spec, to reference its standard responses."""
        super().init_spec(spec)
        self.spec = spec
        self.operation_ids = set()

    def schema_helper(self, name, definition, **kwargs):
        """Fill in the examples of the component's properties."""
        examples.fill(name, definition)
        return None

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Apply the rules to each operation of `path`."""
        rule = kwargs.get("rule")
        endpoint = getattr(rule, "endpoint", None) or (path or "").strip("/")
        default_security = self.spec.options.get("security")
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict):
                continue
            operation.setdefault("operationId", self._operation_id(endpoint, method))
            unsafe = method in UNSAFE_METHODS
            if unsafe and "security" not in operation and default_security:
                operation["security"] = [dict(r) for r in WRITE_SECURITY]
            needs_login = bool(operation.get("security", default_security))
            codes = []
            if needs_login:
                codes += [401, 403]
            if "{" in (path or ""):
                codes.append(404)
            if unsafe:
                codes.append(409)
            if "requestBody" in operation or any(
                p.get("in") == "query" for p in operation.get("parameters", ()) if "in" in p
            ):
                codes.append(422)
            responses = operation.setdefault("responses", {})
            for code in codes:
                if str(code) not in responses and code not in responses:
                    name = http.HTTPStatus(code).name
                    responses[str(code)] = self.spec.components.get_ref("response", name)

    def _operation_id(self, endpoint: str, method: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]+", "_", f"{endpoint}_{method}").strip("_")
        candidate, n = base, 2
        while candidate in self.operation_ids:
            candidate, n = f"{base}_{n}", n + 1
        self.operation_ids.add(candidate)
        return candidate


class TruthfulBodiesPlugin(BasePlugin):
    """Make the spec say what the server enforces about request bodies.

    - Fields a `require(...)` hook demands (create schemas that share their fields with a
      patch schema) are listed as `required` in the component schema.
    - A schema's `Meta.example` (a request body as a client sends it) is the component's
      `example`: marshmallow keeps it in Meta, where apispec does not look.
    - `requestBody.required` is true exactly when the body schema has a required field: a
      missing body is read as `{}`, which a schema without required fields accepts (a PATCH
      that changes nothing, a lifecycle step whose reason is optional), while one with a
      required field answers 422.
    """

    def init_spec(self, spec):
        """Keep the spec, to read registered component schemas."""
        super().init_spec(spec)
        self.spec = spec

    def schema_helper(self, name, definition, **kwargs):
        """Add the names of `require(...)` hooks to the schema's `required`, and its
        `Meta.example` as the component's `example`."""
        schema = kwargs.get("schema")
        if schema is None:
            return None
        cls = resolve_schema_cls(schema)
        extra: dict = {}
        example = getattr(getattr(cls, "Meta", None), "example", None)
        if example is not None:
            extra["example"] = example
        demanded = {
            field
            for klass in getattr(cls, "__mro__", ())
            for hook in vars(klass).values()
            for field in getattr(hook, "cbec_required", ())
        }
        demanded &= set(definition.get("properties", {}))
        if demanded:
            extra["required"] = sorted(set(definition.get("required", ())) | demanded)
        return extra or None

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Mark each JSON request body required or not, as its schema demands."""
        schemas = self.spec.components.schemas
        for operation in (operations or {}).values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not isinstance(body, dict):
                continue
            schema = (body.get("content") or {}).get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            body["required"] = bool(schema.get("required"))


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: 1..2**31-1, the range of the integer primary keys.

    A larger number cannot name a row; without the bound it reaches the database and fails
    there (PostgreSQL: out of range; SQLite: OverflowError, a 500). Out of range is a 404.
    """

    def __init__(self, map, fixed_digits=0, min=1, max=INT32_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class ProblemApi(Api):
    """Api whose error handler speaks problem+json for every HTTP error, and documents it so."""

    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *, spec_kwargs=None):
        """Bound `<int:...>` URL parameters before any route is added, then init the Api."""
        app.url_map.converters["int"] = IdConverter
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "csrf",
            {
                "type": "apiKey",
                "in": "header",
                "name": CSRF_HEADER,
                "description": "With the session cookie, every write needs this header: the "
                "token from GET /api/v1/auth/csrf or the login response's `csrf_token`. "
                "A bearer token needs none.",
            },
        )

    def _openapi_swagger_ui(self):
        """Swagger UI from our page, which has no inline script (core/docs.py)."""
        return swagger_ui_page(
            title=self.spec.title,
            spec_url=url_for(f"{self._make_doc_blueprint_name()}.openapi_json"),
            assets_url=self._swagger_ui_url,
        )

    def _init_spec(self, *, extra_plugins=None, **kwargs):
        # _register_responses (called from here) registers ProblemSchema as "Problem".
        super()._init_spec(
            extra_plugins=[
                *(extra_plugins or ()),
                ProblemResponsesPlugin(),
                TruthfulBodiesPlugin(),
                OperationRulesPlugin(),
            ],
            **kwargs,
        )

    def _register_responses(self):
        """The standard error responses, as application/problem+json (not application/json)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        """Render any HTTPException (ours, Flask's, webargs') as problem+json."""
        data = getattr(error, "data", None) or {}
        status = error.code or 500
        headers = dict(data.get("headers") or {})
        errors = None
        detail = data.get("message") or error.description
        if "errors" in data:
            errors = translate_errors(_flatten(data["errors"]))
        elif "messages" in data:
            errors = translate_errors(_webargs_errors(data["messages"]))
            if status == 400:
                # Malformed JSON: say so plainly.
                detail = _("The request body is not valid JSON.")
                errors = None
            elif status == 422:
                detail = _("Validation failed for: %(fields)s", fields=", ".join(sorted(errors)))
        if status == 413 and has_request_context() and request.max_content_length:
            limit = request.max_content_length
            detail = _(
                "The request body is over the limit of %(limit)s bytes (%(mib)s MiB).",
                limit=limit,
                mib=f"{limit / (1024 * 1024):g}",
            )
        if status == 429:
            detail = _("Too many requests: %(limit)s", limit=error.description)
            headers.setdefault("Retry-After", str(_retry_after()))
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if status == 403 and not _authenticated():
            # 403 means "logged in but not allowed"; an anonymous caller is told to log in.
            status, detail = 401, _("Log in or send a valid bearer token.")
        extra = data.get("extra")
        return problem_response(status, detail, errors=errors, headers=headers, extra=extra)


def _retry_after() -> int:
    """Seconds until the breached limit's window resets (not left to limiter header config).

    The limiters come from the app (flask-limiter registers itself there), not from
    `extensions`, which imports this module."""
    for limiter in current_app.extensions.get("limiter", ()):
        current = limiter.current_limit
        if current is not None:
            return max(1, int(current.reset_at - time.time()))
    return 60


def _authenticated() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))
