"""Guards on what a request carries, checked before anything parses it.

Each class of hostile input is stopped here once, with a 4xx problem instead of a 500:

- A JSON body is checked before webargs' `json.loads` sees it: nesting deeper than
  `JSON_MAX_DEPTH` (json.loads recurses once per level and dies near 1,000), `NaN` and
  `Infinity` (not JSON), integer literals longer than `JSON_MAX_INT_DIGITS` (Python refuses to
  convert more than 4,300 digits) and numbers that overflow a float: 400.
- A body over MAX_CONTENT_LENGTH gets 413 also when it is sent chunked (Werkzeug would hand
  back its first 2 MiB, which then fails to parse: 400). After a 413 the rest of the body is
  read and thrown away (up to `BODY_DRAIN_LIMIT`), so the client reads the answer instead of
  a connection reset.
- A route may have a larger limit of its own (`allow_body`: document uploads); every other
  body keeps MAX_CONTENT_LENGTH.
- A URL over `MAX_URL_BYTES` gets 414; more than `MAX_HEADER_FIELDS` headers or one over
  `MAX_HEADER_BYTES` get 431. These sit below gunicorn's own limits (gunicorn.conf.py), so
  a client near them gets the API's problem+json.

Numbers are bounded where schemas load them (core/schemas.py), datetimes in
core/fields.py and core/timeutil.py.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from itertools import accumulate

from flask import Flask, Request, Response, current_app, request
from flask_babel import gettext as _
from flask_smorest import abort
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

# No body of this API nests more than 4 levels; 32 leaves room and stays far from recursion.
JSON_MAX_DEPTH = 32
# An int64 has 19 digits; any longer literal is no quantity of ours (and 4,301 crash int()).
JSON_MAX_INT_DIGITS = 40
# After a 413, read and discard at most this much more; a client sending more may see a reset.
BODY_DRAIN_LIMIT = 16 * 1024 * 1024
# Below gunicorn's limits (limit_request_line 8190, fields 150, field size 16380).
MAX_URL_BYTES = 8000
MAX_HEADER_FIELDS = 100
MAX_HEADER_BYTES = 8000

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_CHUNK = 64 * 1024
# Endpoints whose body limit is another setting than MAX_CONTENT_LENGTH (`allow_body`).
BODY_LIMITS: dict[str, str] = {}


def allow_body(endpoint: str, setting: str) -> None:
    """Give `endpoint` (a Flask endpoint name) the body limit in setting `setting`."""
    BODY_LIMITS[endpoint] = setting


class UnsafeJson(ValueError):
    """A JSON document this API refuses to parse; the message says why."""


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in `data`, brackets inside strings ignored.

    Regular expressions (C speed) cut strings and everything but brackets away, so even 2 MiB
    of brackets is scanned in a fraction of a second, and nothing recurses.
    """
    if data.count(b"[") + data.count(b"{") == 0:
        return 0
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _refuse_constant(name: str):
    raise UnsafeJson(_("%(name)s is not a JSON number", name=name))


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > JSON_MAX_INT_DIGITS:
        raise UnsafeJson(_("an integer has more than %(limit)s digits", limit=JSON_MAX_INT_DIGITS))
    return int(literal)


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise UnsafeJson(_("the number %(number)s is too large for a double", number=literal[:40]))
    return value


def check_json(data: bytes) -> None:
    """Raise UnsafeJson unless `data` is a JSON document the parsers may safely load.

    Depth is checked before any parsing, by a scan that cannot recurse; the trial parse then
    refuses what `json.loads` would accept and turn into trouble later (NaN, Infinity,
    thousand-digit integers, overflowing floats). Malformed JSON is UnsafeJson too.
    """
    if data.count(b"[") + data.count(b"{") > JSON_MAX_DEPTH:
        depth = json_depth(data)
        if depth > JSON_MAX_DEPTH:
            raise UnsafeJson(
                _(
                    "it nests %(depth)s levels deep (at most %(limit)s)",
                    depth=depth,
                    limit=JSON_MAX_DEPTH,
                )
            )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeJson(_("it is not UTF-8 (byte %(start)s)", start=exc.start)) from exc
    try:
        json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise UnsafeJson(
            _(
                "%(reason)s at line %(line)s column %(column)s",
                reason=exc.msg,
                line=exc.lineno,
                column=exc.colno,
            )
        ) from exc
    except RecursionError as exc:  # a bracket scan bug must still not be a 500
        raise UnsafeJson(_("it nests too deep")) from exc


def _is_json(mimetype: str) -> bool:
    # The same test as webargs': application/json and application/*+json.
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


class _CappedStream(LimitedStream):
    """A streamed (chunked) body of unknown length, refused with 413 once it passes the cap.

    Werkzeug's own stream stops silently at the cap and hands back a truncated body; this one
    looks one byte past it: more data means too large, none means the body was just the cap.
    """

    def __init__(self, stream, limit: int) -> None:
        super().__init__(stream, limit, is_max=True)
        self._raw = stream

    def on_exhausted(self) -> None:
        """At the cap: 413 if the client sent more."""
        if self._raw.read(1):
            raise RequestEntityTooLarge()

    def readall(self) -> bytes:
        """The whole body, or 413 when it is over the cap."""
        data = super().readall()
        if self.is_exhausted:
            self.on_exhausted()
        return data


class GuardedRequest(Request):
    """Flask's Request, with MAX_CONTENT_LENGTH enforced on chunked bodies too."""

    @cached_property
    def stream(self):
        """The body stream; a chunked one is capped at MAX_CONTENT_LENGTH exactly."""
        limit = self.max_content_length
        if (
            self.shallow
            or limit is None
            or self.content_length is not None
            or "wsgi.input_terminated" not in self.environ
        ):
            return super().stream
        return _CappedStream(self.environ["wsgi.input"], limit)


def _request_uri_bytes(environ) -> int:
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if uri is None:
        uri = environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
    return len(uri.encode("latin-1", "replace"))


def _check_request_head() -> None:
    """414 for a URL over MAX_URL_BYTES, 431 for too many or too large headers."""
    environ = request.environ
    if _request_uri_bytes(environ) > MAX_URL_BYTES:
        abort(414, message=_("The URL is longer than %(limit)s bytes.", limit=MAX_URL_BYTES))
    fields = 0
    for name, value in environ.items():
        if not (name.startswith("HTTP_") or name in ("CONTENT_TYPE", "CONTENT_LENGTH")):
            continue
        fields += 1
        if isinstance(value, str) and len(value) > MAX_HEADER_BYTES:
            header = name.removeprefix("HTTP_").replace("_", "-").title()
            abort(
                431,
                message=_(
                    "The %(header)s header is longer than %(limit)s bytes.",
                    header=header,
                    limit=MAX_HEADER_BYTES,
                ),
            )
    if fields > MAX_HEADER_FIELDS:
        abort(
            431,
            message=_(
                "The request has more than %(limit)s header fields.", limit=MAX_HEADER_FIELDS
            ),
        )


def _check_body() -> None:
    """413 for any body over the size limit; 400 for a JSON body the parsers must not see."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        # Whatever its type, and even where no view would read it: refused (and drained).
        raise RequestEntityTooLarge()
    if not _is_json(request.mimetype):
        return
    data = request.get_data(cache=True)  # a chunked body over the limit: 413 here
    if not data:
        return  # no body: the schema names the missing fields
    try:
        check_json(data)
    except UnsafeJson as exc:
        abort(400, message=_("The request body is not acceptable JSON: %(reason)s.", reason=exc))


def _has_body(environ) -> bool:
    # Most requests (every GET) carry no body: no Content-Length, or 0, and not chunked.
    return environ.get("CONTENT_LENGTH") not in (None, "", "0") or bool(
        environ.get("HTTP_TRANSFER_ENCODING")
    )


def guard_request():
    """`before_request`: the head, then the body (when there is one)."""
    _check_request_head()
    if _has_body(request.environ):
        rule = request.url_rule
        if rule is not None and rule.endpoint in BODY_LIMITS:
            # Flask 3.1: a per-request limit, which the form parser and the stream obey too.
            request.max_content_length = current_app.config[BODY_LIMITS[rule.endpoint]]
        _check_body()


def discard_body(environ, content_length: int | None, limit: int = BODY_DRAIN_LIMIT) -> int:
    """Read and drop what is left of a refused body (at most `limit` bytes); bytes read.

    Closing a socket with unread data makes the kernel send a reset, which clients report
    instead of the 413 already sent. Only an unread body is drained: a Content-Length body
    is refused before any of it is read, and a chunked one ends by itself.
    """
    raw = environ.get("wsgi.input")
    if raw is None:
        return 0
    if content_length is not None:
        if content_length > limit:
            return 0  # too much to swallow: let the server close the connection
        left = content_length
    elif "wsgi.input_terminated" in environ:
        left = limit
    else:
        return 0  # no length and no terminated stream: reading could block
    drained = 0
    with contextlib.suppress(OSError, ValueError):
        while left > 0:
            chunk = raw.read(min(left, _CHUNK))
            if not chunk:
                break
            drained += len(chunk)
            left -= len(chunk)
    return drained


def _drain_after_413(response: Response) -> Response:
    if response.status_code == 413:
        # Refused before anything read it (no `stream` yet): the whole Content-Length is
        # left. Otherwise a capped chunked stream stopped at the cap: drain to its end.
        unread = "stream" not in request.__dict__
        discard_body(request.environ, request.content_length if unread else None)
    return response


def register_input_guards(app: Flask) -> None:
    """Guard every request before the other hooks: size, depth and number limits."""
    app.request_class = GuardedRequest
    app.before_request(guard_request)
    app.after_request(_drain_after_413)
