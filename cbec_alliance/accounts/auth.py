"""Authentication at the edge: session cookies, bearer tokens, CSRF on cookie writes."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from cbec_alliance.accounts import services
from cbec_alliance.accounts.models import User
from cbec_alliance.core.api import problem_response
from cbec_alliance.extensions import login_manager

CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Anonymous entry points: they act on the credentials in the body, not on the cookie.
CSRF_EXEMPT = {"auth.Login", "auth.Register"}


@login_manager.user_loader
def _load_from_session(key: str) -> User | None:
    user = services.load_session_user(key)
    if user is not None:
        g.auth_method = "session"
    return user


@login_manager.request_loader
def _load_from_bearer(req) -> User | None:
    # Tokens are read from the Authorization header only, never from the query string.
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = services.load_token_user(token.strip())
    if user is not None:
        g.auth_method = "token"
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    return problem_response(401, "Log in or send a valid bearer token.")


def new_csrf_token() -> str:
    """Issue a fresh CSRF token bound to this session cookie."""
    token = secrets.token_urlsafe(32)
    session["csrf_token"] = token
    return token


def csrf_token() -> str:
    """The session's CSRF token, created on first use."""
    return session.get("csrf_token") or new_csrf_token()


def _check_csrf():
    if request.method not in UNSAFE_METHODS or request.endpoint in CSRF_EXEMPT:
        return None
    if not current_user.is_authenticated or g.get("auth_method") != "session":
        return None
    sent = request.headers.get(CSRF_HEADER, "")
    expected = session.get("csrf_token", "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return problem_response(
            403,
            f"Cookie-authenticated writes need the {CSRF_HEADER} header from /api/v1/auth/csrf.",
        )
    return None


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with its serializer made once per app instead of on
    every request (a tenth of a millisecond that every request paid, cookie or not)."""

    def get_signing_serializer(self, app: Flask):
        serializer = app.extensions.get("cbec_session_serializer")
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            app.extensions["cbec_session_serializer"] = serializer
        return serializer

    def save_session(self, app: Flask, session, response) -> None:
        """Nothing to do for a request that neither sent nor touched a session cookie."""
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)


def register_auth(app: Flask) -> None:
    """Wire Flask-Login, the session cookie and the CSRF check."""
    app.session_interface = _SessionInterface()
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.before_request(_check_csrf)


def me() -> User:
    """The logged-in user (views call this after login_required)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]
