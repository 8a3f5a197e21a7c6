"""Interface language: French first, English on request.

A ``?lang=`` parameter switches language and is remembered in a ``lang``
cookie; that cookie holds only the language code, nothing about the visitor.
Kiosk pages set ``g.no_cookie``: a terminal shared by strangers keeps the
language in its links instead.
"""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel

LOCALES = ("fr", "en")
COOKIE = "lang"


def select_locale() -> str:
    if not has_request_context():  # commands and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # A kiosk ignores a cookie left by an earlier visit on the same browser.
    asked = request.args.get("lang") or (None if g.get("no_cookie") else request.cookies.get(COOKIE))
    if asked in LOCALES:
        return asked
    return request.accept_languages.best_match(LOCALES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)

    @app.after_request
    def _remember_language(response):
        asked = request.args.get("lang")
        if asked in LOCALES and request.cookies.get(COOKIE) != asked and not g.get("no_cookie"):
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=app.config["SESSION_COOKIE_SECURE"], httponly=True)
        return response
