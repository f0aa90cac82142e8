"""The language of messages: zh-CN or en, by the user's setting, then `Accept-Language`.

English is the fallback when neither says otherwise, so clients written against the English
messages keep them. Messages are `gettext` msgids in cbec_alliance/translations (the .po is
the source, the committed .mo what is loaded); see README "Translations".
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# Content-Language tag -> Babel locale identifier (the catalogue's directory name).
LOCALES = {"zh-CN": "zh_Hans_CN", "en": "en"}
LANGUAGE_TAGS = tuple(LOCALES)
_TAG_OF = {value: key for key, value in LOCALES.items()}
# Accept-Language values matched to a locale: any Chinese asks for Simplified Chinese here.
_ACCEPTED = {"zh": "zh_Hans_CN", "zh-CN": "zh_Hans_CN", "zh-Hans": "zh_Hans_CN", "en": "en"}


def N_(message: str) -> str:  # noqa: N802 (the conventional name of the no-op marker)
    """Mark a message for the catalogue without translating it here (it is at render time)."""
    return message


def select_locale() -> str:
    """The user's `ui_language`, else the best `Accept-Language` match, else English.

    The user is loaded only for a request that carries credentials (a session or remember
    cookie, an Authorization header): loading one for every request would read the session
    of anonymous ones too (and make their responses vary on the cookie).
    """
    if not has_request_context():
        return "en"
    # g and the request once each: every proxy access is a context lookup (this runs for
    # every response, through Content-Language).
    here = g._get_current_object()
    environ = request.environ
    user = here.get("_login_user")
    if user is None and _carries_credentials(environ):
        from flask_login import current_user

        user = current_user
    setting = getattr(user, "ui_language", None) or here.get("console_language")
    if setting in LOCALES:
        return LOCALES[setting]
    header = environ.get("HTTP_ACCEPT_LANGUAGE", "")
    # The console (a page, not an API client) falls back to Chinese: it sets the fallback.
    return (_accepted(header) if header else None) or here.get("fallback_locale", "en")


# Accept-Language values seen, and the locale each asks for (None: no match). Browsers send a
# handful of distinct values; parsing one costs more than the rest of a small response's
# language work, so each is parsed once per process (a bounded table, not an unbounded cache).
_ACCEPTED_OF: dict[str, str | None] = {}
_ACCEPTED_KEPT = 1024


def _accepted(header: str) -> str | None:
    try:
        return _ACCEPTED_OF[header]
    except KeyError:
        pass
    best = request.accept_languages.best_match(tuple(_ACCEPTED))
    found = _ACCEPTED.get(best or "")
    if len(_ACCEPTED_OF) < _ACCEPTED_KEPT:
        _ACCEPTED_OF[header] = found
    return found


def _carries_credentials(environ: dict) -> bool:
    if "HTTP_AUTHORIZATION" in environ:
        return True
    if "HTTP_COOKIE" not in environ:  # no cookie at all: nothing to parse
        return False
    cookies = (
        current_app.config["SESSION_COOKIE_NAME"],
        current_app.config["REMEMBER_COOKIE_NAME"],
    )
    return any(c in request.cookies for c in cookies)


def language_tag() -> str:
    """The request's language as a Content-Language tag (`zh-CN`, `en`).

    When nothing in the request translated a message, the selector's answer is used as it is:
    Flask-Babel would parse it into a `Locale` only to have it printed again."""
    chosen = getattr(g.get("_flask_babel"), "babel_locale", None)
    return _TAG_OF.get(str(chosen) if chosen is not None else select_locale(), "en")


def _content_language(response: Response) -> Response:
    response.headers.setdefault("Content-Language", language_tag())
    return response


def register_i18n(app: Flask, babel: Babel) -> None:
    """Bind Flask-Babel (extensions.babel) with the locale selector; every response says its
    language."""
    babel.init_app(
        app,
        default_locale="en",
        default_translation_directories=str(TRANSLATIONS),
        locale_selector=select_locale,
    )
    app.after_request(_content_language)


# The texts marshmallow and webargs fill in (with str.format) for their built-in checks, as
# catalogue msgids with %(name)s placeholders; they are recognised in the rendered message.
VALIDATION_TEMPLATES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid input."),
    N_("Invalid type."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid mapping type."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware datetime."),
    N_("Not a valid period of time."),
    N_("Not a valid IP address."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("String does not match expected pattern."),
    N_("Length must be between %(min)s and %(max)s."),
    N_("Length must be %(equal)s."),
    N_("Longer than maximum length %(max)s."),
    N_("Shorter than minimum length %(min)s."),
    N_("Must be equal to %(other)s."),
    N_("Must be one of: %(choices)s."),
    N_("One or more of the choices you made was not in: %(choices)s."),
    N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than or equal to %(min)s and less than %(max)s."),
    N_("Must be greater than %(min)s and less than or equal to %(max)s."),
    N_("Must be greater than %(min)s and less than %(max)s."),
    N_("Must be greater than or equal to %(min)s."),
    N_("Must be greater than %(min)s."),
    N_("Must be less than or equal to %(max)s."),
    N_("Must be less than %(max)s."),
    N_('"%(input)s" cannot be formatted as a date.'),
    N_('"%(input)s" cannot be formatted as a datetime.'),
)
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.*)", re.escape(template)), re.DOTALL)


_PATTERNS = tuple((_pattern(t), t) for t in VALIDATION_TEMPLATES if "%(" in t)


def translate_message(message: str) -> str:
    """A rendered validation message in the request's language.

    Rendered, not at definition: marshmallow copies its message templates into every field
    and validator when a schema class is built (at import, before any request), and webargs
    and our own code raise plain strings, so the one place that sees every message is the
    problem handler. A message the catalogue has as is (ours, marshmallow's fixed ones) is
    looked up; one marshmallow filled in (`Length must be between 1 and 200.`) is matched to
    its template, whose translation is filled in with the same values.
    """
    if str(get_locale()) == "en":
        return message
    translated = gettext(message)
    if translated != message:
        return translated
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return gettext(template, **match.groupdict())
    return message


def translate_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every message of a problem's `errors` member in the request's language."""
    if str(get_locale()) == "en":
        return errors
    return {field: [translate_message(m) for m in msgs] for field, msgs in errors.items()}


# Problem titles (werkzeug's reason phrases) and werkzeug's own descriptions, which the
# handler passes through gettext by value.
HTTP_TEXTS = (
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Payment Required"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Not Acceptable"),
    N_("Proxy Authentication Required"),
    N_("Request Timeout"),
    N_("Conflict"),
    N_("Gone"),
    N_("Length Required"),
    N_("Precondition Failed"),
    N_("Request Entity Too Large"),
    N_("Request URI Too Long"),
    N_("Unsupported Media Type"),
    N_("Requested Range Not Satisfiable"),
    N_("Expectation Failed"),
    N_("I'm a teapot"),
    N_("Misdirected Request"),
    N_("Unprocessable Entity"),
    N_("Locked"),
    N_("Failed Dependency"),
    N_("Too Early"),
    N_("Upgrade Required"),
    N_("Precondition Required"),
    N_("Too Many Requests"),
    N_("Request Header Fields Too Large"),
    N_("Retry With"),
    N_("Unavailable For Legal Reasons"),
    N_("Internal Server Error"),
    N_("Not Implemented"),
    N_("Bad Gateway"),
    N_("Service Unavailable"),
    N_("Gateway Timeout"),
    N_("HTTP Version Not Supported"),
    N_("Variant Also Negotiates"),
    N_("Insufficient Storage"),
    N_("Loop Detected"),
    N_("Not Extended"),
    N_("Network Authentication Failed"),
    N_("The proxy server received an invalid response from an upstream server."),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "A conflict happened while processing the request. The resource might have been modified while the request was being processed."  # noqa: E501
    ),
    N_("The server could not meet the requirements of the Expect header"),
    N_(
        "The method could not be performed on the resource because the requested action depended on another action and that action failed."  # noqa: E501
    ),
    N_(
        "You don't have the permission to access the requested resource. It is either read-protected or not readable by the server."  # noqa: E501
    ),
    N_("The connection to an upstream server timed out."),
    N_(
        "The requested URL is no longer available on this server and there is no forwarding address. If you followed a link from a foreign page, please contact the author of this page."  # noqa: E501
    ),
    N_("The server does not support the HTTP protocol version used in the request."),
    N_("This server is a teapot, not a coffee machine"),
    N_(
        "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."  # noqa: E501
    ),
    N_("A request with this method requires a valid <code>Content-Length</code> header."),
    N_("The resource that is being accessed is locked."),
    N_("The method is not allowed for the requested URL."),
    N_("The server is not able to produce a response."),
    N_(
        "The resource identified by the request is only capable of generating response entities which have content characteristics not acceptable according to the accept headers sent in the request."  # noqa: E501
    ),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."  # noqa: E501
    ),
    N_("The server does not support the action requested by the browser."),
    N_("The precondition on the request for the URL failed positive evaluation."),
    N_(
        'This request is required to be conditional; try using "If-Match" or "If-Unmodified-Since".'
    ),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("One or more header fields exceeds the maximum size."),
    N_(
        "The server closed the network connection because the browser didn't finish the request within the specified time."  # noqa: E501
    ),
    N_(
        "The length of the requested URL exceeds the capacity limit for this server. The request cannot be processed."  # noqa: E501
    ),
    N_("The server cannot provide the requested range."),
    N_(
        "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."  # noqa: E501
    ),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_(
        "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."  # noqa: E501
    ),
    N_("Unavailable for legal reasons."),
    N_("The request was well-formed but was unable to be followed due to semantic errors."),
    N_("The server does not support the media type transmitted in the request."),
)
