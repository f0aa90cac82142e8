"""What every console page shares: the login gate, CSRF on forms, the security headers, HTML
error pages, and turning a service's refusal into a message on the form.

The console is the top floor: it reads through the domains' services and changes nothing
except by calling them, so a rule lives once (in the service) and the API and the console
refuse the same things with the same words.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException

from cbec_alliance.accounts.auth import CSRF_CHECKED_BY_BLUEPRINT, CSRF_HEADER, csrf_token
from cbec_alliance.accounts.models import User
from cbec_alliance.core.i18n import language_tag

from .areas import areas_of

# No inline script or style anywhere: htmx is configured by a <meta> element and console.js,
# charts are SVG drawn with presentation attributes, so 'unsafe-inline' is never needed.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
F = TypeVar("F", bound=Callable[..., Any])
GUANGZHOU = ZoneInfo("Asia/Shanghai")


def console_blueprint(
    name: str, import_name: str, url_prefix: str, *, static: bool = False
) -> Blueprint:
    """A console Blueprint with the shared gate, headers and error pages (`static`: it also
    serves the console's own scripts and styles, under <url_prefix>/static)."""
    blp = Blueprint(
        name,
        import_name,
        url_prefix=url_prefix,
        template_folder="templates",
        static_folder="static" if static else None,
    )
    CSRF_CHECKED_BY_BLUEPRINT.add(name)  # `_before` checks it and answers with a page
    blp.before_request(_before)
    blp.after_request(_headers)
    blp.register_error_handler(HTTPException, _error_page)
    blp.context_processor(_page_context)
    blp.add_app_template_filter(when, "when")
    blp.add_app_template_filter(percent, "percent")
    return blp


def when(value) -> str:
    """A timestamp as Guangzhou's local time, to the minute (`2026-12-05 21:12`)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(GUANGZHOU).strftime("%Y-%m-%d %H:%M")
    return str(value)


def percent(share: float | None) -> str:
    """A share as a whole percentage (`67%`), or a dash when there is nothing to divide."""
    return "—" if share is None else f"{100 * share:.0f}%"


def _page_context() -> dict:
    person = current_user if current_user.is_authenticated else None
    return {
        "current_locale_tag": language_tag(),
        "nav_areas": areas_of(person) if person is not None else [],
        "pairs": pairs,
    }


def pairs(items: Iterable[dict], key: str, value: str = "count") -> list[tuple]:
    """(label, value) rows for a chart from a report's list of dicts."""
    return [(item[key], item[value]) for item in items]


def _before() -> Response | None:
    # Pages speak Chinese unless the user or the browser asks otherwise (the API's default
    # stays English for the clients written against it).
    g.fallback_locale = "zh_Hans_CN"
    chosen = session.get("console_language") if request.cookies else None
    if chosen:
        g.console_language = chosen
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token", "")
        expected = session.get("csrf_token", "")
        if not sent or not expected or not hmac.compare_digest(sent, expected):
            abort(400, _("The form has expired; reload the page and try again."))
    return None


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _error_page(error: HTTPException):
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    message = data.get("message") or error.description
    return render_template("console/error.html", status=status, message=message), status


def page(func: F) -> F:
    """A page for logged-in users: anyone else is sent to the login page and back."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def user() -> User:
    """The logged-in user of a page (after `page`)."""
    return current_user._get_current_object()


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site (never another host: no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def render(template: str, **context) -> str:
    """Render a console template with the CSRF token at hand."""
    return render_template(template, csrf_token=csrf_token(), **context)


def parse(schema: Schema, form: dict) -> tuple[dict | None, dict[str, list[str]]]:
    """Load form fields with the API's own schema: (data, {}) or (None, errors per field)."""
    try:
        return schema.load(form), {}
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        return None, {k: v if isinstance(v, list) else [str(v)] for k, v in messages.items()}


def attempt(action: Callable[[], Any]) -> tuple[Any, str | None, dict[str, list[str]]]:
    """Call a service; a refusal (409, 403, 422…) becomes its message and field errors for
    the form instead of an error page: (result, None, {}) or (None, message, errors)."""
    try:
        return action(), None, {}
    except HTTPException as exc:
        if exc.code == 404:
            raise
        data = getattr(exc, "data", None) or {}
        errors = data.get("errors") or {}
        return None, str(data.get("message") or exc.description), errors


def done(message: str, endpoint: str, **values) -> ResponseReturnValue:
    """After a successful form: say so and show the next page (post/redirect/get)."""
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


def carry_out(action: Callable[[], Any], said: str, endpoint: str, **values) -> ResponseReturnValue:
    """A form's service call, then back to `endpoint`: the service's refusal flashed as an
    error, else `said` (post/redirect/get either way)."""
    _result, refused, _fields = attempt(action)
    if refused:
        flash(refused, "error")
        return redirect(url_for(endpoint, **values), code=303)
    return done(said, endpoint, **values)


def form_values(names: Iterable[str], lists: Iterable[str] = ()) -> dict:
    """The submitted form as a dict for a schema: empty fields left out, `lists` as lists."""
    data: dict[str, Any] = {}
    for name in names:
        value = request.form.get(name, "").strip()
        if value != "":
            data[name] = value
    for name in lists:
        values = [v for v in request.form.getlist(name) if v.strip()]
        if values:
            data[name] = values
    return data
