"""Interface language: French first, English on request.

Visitors get no cookie, not even for their language (the users' charter):
``?lang=`` switches the page, and every link the page makes carries it on
(``url_defaults``), so the choice lasts as long as the visitor follows the
site's links; without it, the browser's Accept-Language decides. Signed-in
staff, who have a session anyway, keep their choice in it.
"""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel
from flask_login import current_user

LOCALES = ("fr", "en")
SESSION_KEY = "lang"


def asked() -> str | None:
    """The language this request asks for in its address, if a valid one."""
    value = request.args.get("lang")
    return value if value in LOCALES else None


def select_locale() -> str:
    if not has_request_context():  # commands and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = asked() or (session.get(SESSION_KEY) if _staff() else None)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _staff() -> bool:
    return bool(getattr(current_user, "is_authenticated", False))


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)

    @app.url_defaults
    def _carry_language(endpoint, values):
        # A visitor's language lives in the address only: links keep it.
        if has_request_context() and "lang" not in values and not _staff():
            language = asked()
            if language and not endpoint.endswith("static"):
                values["lang"] = language

    @app.before_request
    def _remember_staff_language():
        language = asked()
        # Not for API clients: a token needs no session, and gets no cookie.
        if language and not request.path.startswith("/api/") and _staff() and session.get(SESSION_KEY) != language:
            session[SESSION_KEY] = language
