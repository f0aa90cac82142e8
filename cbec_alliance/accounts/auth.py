"""Authentication at the edge: session cookies, bearer tokens, CSRF on cookie writes."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Response, g, request, session
from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from cbec_alliance.accounts import services
from cbec_alliance.accounts.models import User
from cbec_alliance.core.api import problem_response
from cbec_alliance.extensions import login_manager

CSRF_HEADER = "X-CSRF-Token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Anonymous entry points: they act on the credentials in the body, not on the cookie.
CSRF_EXEMPT = {
    "auth.Login",
    "auth.Register",
    "auth.PasswordReset",
    "auth.PasswordResetConfirm",
    "auth.VerifyEmail",
}


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


def begin_login(user: User, remember: bool) -> str:
    """Log `user` in with a fresh session cookie; the new session's CSRF token."""
    # A fresh cookie at every login: the old session id (and its CSRF token) is discarded.
    session.clear()
    session.permanent = True
    services.start_session(user, remember=remember)
    login_user(user, remember=remember, fresh=True)
    return new_csrf_token()


def end_login(user: User) -> None:
    """End the cookie session: its key stops working even if the cookie is replayed."""
    services.end_session(user.session_key)
    session.clear()
    logout_user()  # after the clear: it asks for the remember-me cookie to be cleared too


# Blueprints that check the token themselves (the console, which answers with a page).
CSRF_CHECKED_BY_BLUEPRINT: set[str] = set()


def _check_csrf():
    if request.method not in UNSAFE_METHODS or request.endpoint in CSRF_EXEMPT:
        return None
    if request.blueprint in CSRF_CHECKED_BY_BLUEPRINT:
        return None
    if not current_user.is_authenticated or g.get("auth_method") != "session":
        return None
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.mimetype in FORM_TYPES:
        sent = request.form.get("csrf_token", "")  # an HTML form (the console) carries it
    expected = session.get("csrf_token", "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return problem_response(
            403,
            gettext(
                "Cookie-authenticated writes need the %(csrf_header)s header from "
                "/api/v1/auth/csrf.",
                csrf_header=CSRF_HEADER,
            ),
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

    def open_session(self, app: Flask, request):
        """A new empty session for a request without cookies, without parsing headers."""
        if "HTTP_COOKIE" not in request.environ and self.get_signing_serializer(app):
            return self.session_class()
        return super().open_session(app, request)

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
    _remember_cookie_only_with_a_session(app)
    app.before_request(_check_csrf)


def _remember_cookie_only_with_a_session(app: Flask) -> None:
    """Flask-Login's remember-cookie hook, run only when the session holds something.

    With an empty, untouched session the hook has nothing to set or clear, yet reading the
    session marks it accessed, and Flask then adds `Vary: Cookie` to every anonymous
    response (`/healthz`, public lists): work and a header for nothing.
    """
    hooks = app.after_request_funcs.setdefault(None, [])
    update = login_manager._update_remember_cookie
    if update not in hooks:
        return

    def remember_cookie(response: Response) -> Response:
        # `_session` is the opened session, read without marking it accessed.
        opened = request_ctx._session
        if opened is None or (not opened and not opened.modified):
            return response
        return update(response)

    hooks[hooks.index(update)] = remember_cookie


def me() -> User:
    """The logged-in user (views call this after login_required)."""
    return current_user._get_current_object()
