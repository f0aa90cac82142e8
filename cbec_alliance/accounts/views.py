"""Routes under /api/v1/auth."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from flask_login import login_required, login_user, logout_user
from flask_smorest import Blueprint, abort

from cbec_alliance.accounts import services
from cbec_alliance.accounts.auth import csrf_token, me, new_csrf_token
from cbec_alliance.accounts.schemas import (
    CsrfSchema,
    LoginResultSchema,
    LoginSchema,
    PasswordChangeSchema,
    ProfilePatchSchema,
    RegisterSchema,
    TokenCreatedSchema,
    TokenCreateSchema,
    TokenSchema,
    UserSchema,
)
from cbec_alliance.audit.services import changed_fields
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import not_found
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.schemas import PageArgs, page_of
from cbec_alliance.extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and login")


def _failed_login(response) -> bool:
    return response.status_code == 401


def _login_account_key() -> str:
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (services.normalise_email(email) if isinstance(email, str) else "")


def _limit(setting: str, key_func, scope: str):
    # Only failed attempts count, so a whole campus behind one address can still log in.
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=key_func,
        scope=scope,
        methods=["POST"],
        deduct_when=_failed_login,
    )


def _begin_login(user, remember: bool) -> dict:
    # A fresh cookie at every login: the old session id (and its CSRF token) is discarded.
    session.clear()
    session.permanent = True
    services.start_session(user, remember=remember)
    login_user(user, remember=remember, fresh=True)
    return {"user": user, "csrf_token": new_csrf_token()}


@blp.route("/register")
class Register(MethodView):
    """Create an account."""

    @blp.doc(security=[])
    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Register with email, password (10+ characters) and name."""
        return services.register(
            data["email"], data["password"], data["name"], language=data["language"]
        )


@blp.route("/login")
class Login(MethodView):
    """Log in with a session cookie."""

    decorators = [
        _limit("LOGIN_LIMIT_PER_IP", get_remote_address, "login-ip"),
        _limit("LOGIN_LIMIT_PER_ACCOUNT", _login_account_key, "login-account"),
    ]

    @blp.doc(security=[])
    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    @blp.alt_response(401, description="Wrong email or password (the same answer for both)")
    @blp.alt_response(429, description="Too many failed attempts; see Retry-After")
    def post(self, data):
        """Log in; the response carries the CSRF token for later writes."""
        user = services.authenticate(data["email"], data["password"])
        if user is None:
            abort(401, message="wrong email or password")
        return _begin_login(user, data["remember"])


@blp.route("/logout")
class Logout(MethodView):
    """End the current login session."""

    @login_required
    @blp.response(204)
    def post(self):
        """Log out; the cookie stops working even if replayed."""
        services.end_session(me().session_key)
        logout_user()
        session.clear()


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
        """Change my name or notification language (zh or en)."""
        user = me()
        changes = changed_fields(user, data)
        if changes:
            audit(actor=user, obj=user, action="update", changes=changes)
        return user


@blp.route("/password")
class Password(MethodView):
    """Change the password."""

    @login_required
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, LoginResultSchema)
    def post(self, data):
        """Change my password; every login session ends and this one is renewed."""
        user = me()
        services.change_password(user, data["current_password"], data["new_password"])
        if g.get("auth_method") == "session":
            return _begin_login(user, remember=False)
        return {"user": user, "csrf_token": None}


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
