"""The console's door: login, logout, the language switch and the home page that lists the
areas a user may enter (monitoring, an enterprise's, a university's, a student's)."""

from __future__ import annotations

from flask import redirect, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cbec_alliance.accounts import services as accounts
from cbec_alliance.accounts import throttle
from cbec_alliance.accounts.auth import begin_login, end_login
from cbec_alliance.core.exports import font_path
from cbec_alliance.core.i18n import LOCALES
from cbec_alliance.extensions import limiter

from .areas import areas_of
from .web import console_blueprint, page, render, safe_next, user

blp = console_blueprint("console", __name__, "/console", static=True)


@blp.get("/font/cjk.otf")
def cjk_font():
    """The bundled Noto Sans CJK SC, the stylesheet's last resort for Chinese text (a browser
    with a Chinese system font never asks for it)."""
    return send_file(font_path(), mimetype="font/otf", max_age=365 * 24 * 3600)


@blp.get("/")
@page
def home():
    """The areas this user may enter; straight into the only one when there is one."""
    found = areas_of(user())
    if len(found) == 1:
        return redirect(found[0].url)
    return render("console/home.html", areas=found)


@blp.route("/login", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def login():
    """The login form; a wrong email or password gets the same answer."""
    target = safe_next(request.values.get("next"), url_for("console.home"))
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target)
        return render("console/login.html", next=target, email="", error=None)
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    attempt = throttle.begin(email, request.remote_addr)
    person = accounts.authenticate(email, password) if email and password else None
    if person is None:
        throttle.failed(attempt)
        error = _("Wrong email or password.")
        return render("console/login.html", next=target, email=email, error=error), 401
    throttle.succeeded(attempt, person)
    begin_login(person, remember=bool(request.form.get("remember")))
    return redirect(target, code=303)


@blp.post("/logout")
@page
def logout():
    """End the session and return to the login page."""
    end_login(user())
    return redirect(url_for("console.login"), code=303)


@blp.post("/language")
def language():
    """Switch between 中文 and English: the user's setting, or this browser's session."""
    chosen = request.form.get("language", "")
    if chosen not in LOCALES:
        return render("console/error.html", status=422, message=_("Unknown language.")), 422
    if current_user.is_authenticated:
        accounts.update_profile(user(), {"ui_language": chosen})
    else:
        session["console_language"] = chosen
    return redirect(safe_next(request.form.get("next"), url_for("console.home")), code=303)
