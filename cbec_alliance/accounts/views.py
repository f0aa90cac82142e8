"""Routes under /api/v1/auth."""

from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from flask_login import login_required
from flask_smorest import Blueprint, abort

from cbec_alliance.accounts import email_tokens, services, throttle
from cbec_alliance.accounts.auth import begin_login, csrf_token, end_login, me
from cbec_alliance.accounts.schemas import (
    CsrfSchema,
    LoginResultSchema,
    LoginSchema,
    PasswordChangedSchema,
    PasswordChangeSchema,
    ProfilePatchSchema,
    RegisterSchema,
    TokenCreatedSchema,
    TokenCreateSchema,
    TokenSchema,
    UserSchema,
)
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs, page_of

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and login")


def _begin_login(user, remember: bool) -> dict:
    return {"user": user, "csrf_token": begin_login(user, remember)}


@blp.route("/register")
class Register(MethodView):
    """Create an account."""

    @blp.doc(security=[])
    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Register with email, password (10+ characters) and name; a verification token is
        mailed to the address (`email_verified` stays false until it is used)."""
        return email_tokens.sign_up(data["email"], data["password"], data["name"], data["language"])


@blp.route("/login")
class Login(MethodView):
    """Log in with a session cookie."""

    @blp.doc(security=[])
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    @blp.alt_response(401, description="Wrong email or password (the same answer for both)")
    @blp.alt_response(
        429,
        description="Too many failed attempts for this account or from this address; see "
        "Retry-After. While an account is over its limit, only an address the user has "
        "logged in from before, and that has not failed for the account since, may try.",
    )
    def post(self, data):
        """Log in; the response carries the CSRF token for later writes."""
        # Only failed attempts count (accounts/throttle.py), so a whole campus behind one
        # address can still log in.
        attempt = throttle.begin(data["email"], request.remote_addr)
        user = services.authenticate(data["email"], data["password"])
        if user is None:
            throttle.failed(attempt)
            abort(401, message="wrong email or password")
        throttle.succeeded(attempt, user)
        return _begin_login(user, data["remember"])


@blp.route("/logout")
class Logout(MethodView):
    """End the current login session."""

    @login_required
    @blp.response(204)
    def post(self):
        """Log out; the cookie stops working even if replayed."""
        end_login(me())


@blp.route("/me")
class Me(MethodView):
    """The logged-in user."""

    @login_required
    @blp.response(200, UserSchema)
    def get(self):
        """Who am I, with my memberships."""
        return me()

    @login_required
    @blp.arguments(ProfilePatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, data):
        """Change my name, notification language (zh or en) or message language (zh-CN, en,
        or null to follow Accept-Language)."""
        return services.update_profile(me(), data)


PASSWORD_CHANGED_EXAMPLE = {
    "user": {
        "id": 7,
        "email": "li.hua@example.cn",
        "name": "李华",
        "platform_role": "user",
        "language": "zh",
        "email_verified": True,
        "ui_language": None,
        "memberships": [],
        "created_at": "2026-09-01T08:00:00Z",
    },
    "csrf_token": "hH3v0c2o9W1n0mB6d5qk4R8sLxT2yZ7aPe1fUuQjKc0",
    "revoked_tokens": 2,
    "detail": "Password changed: every other login session ended and 2 API tokens were "
    "revoked; this session was renewed.",
}


def _password_changed_detail(revoked: int, by_session: bool) -> str:
    tokens = "1 API token was" if revoked == 1 else f"{revoked} API tokens were"
    if by_session:
        return (
            f"Password changed: every other login session ended and {tokens} revoked; "
            "this session was renewed."
        )
    return (
        f"Password changed: every login session ended and {tokens} revoked, the one this "
        "request used among them; log in again."
    )


@blp.route("/password")
class Password(MethodView):
    """Change the password."""

    @login_required
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, PasswordChangedSchema, example=PASSWORD_CHANGED_EXAMPLE)
    def post(self, data):
        """Change my password; every login session ends and every API token is revoked
        (`revoked_tokens` says how many); a cookie session is renewed."""
        user = me()
        revoked = services.change_password(user, data["current_password"], data["new_password"])
        by_session = g.get("auth_method") == "session"
        result = _begin_login(user, remember=False) if by_session else {"user": user}
        return {
            "csrf_token": None,
            **result,
            "revoked_tokens": revoked,
            "detail": _password_changed_detail(revoked, by_session),
        }


@blp.route("/csrf")
class Csrf(MethodView):
    """The CSRF token for cookie-authenticated writes."""

    @login_required
    @blp.response(200, CsrfSchema)
    def get(self):
        """Send it back in the X-CSRF-Token header on POST, PUT, PATCH and DELETE."""
        return {"csrf_token": csrf_token()}


@blp.route("/tokens")
class Tokens(MethodView):
    """Personal API tokens."""

    @login_required
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(TokenSchema))
    def get(self, args):
        """My live tokens (never their secrets)."""
        return paginate(services.list_tokens(me()), args)

    @login_required
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, TokenCreatedSchema)
    def post(self, data):
        """Create a token; `token` is shown only in this response."""
        token, plain = services.create_token(me(), data["name"], data["expires_in_days"])
        token.token = plain
        return token


@blp.route("/tokens/<int:token_id>")
class TokenItem(MethodView):
    """One token."""

    @login_required
    @blp.response(204)
    def delete(self, token_id):
        """Revoke a token; it stops working at once."""
        if services.revoke_token(me(), token_id) is None:
            not_found("token")
