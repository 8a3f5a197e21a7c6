"""Staff authentication at the web edge: a session cookie for the HTML
interface (Flask-Login) and bearer tokens for the API. Visitors are never
asked to log in.

This floor knows a staff member only as an object with ``is_authenticated``,
``active`` and ``can(permission)``. The accounts package, which owns them,
registers how to load one: ``login_manager.user_loader`` for the session,
``token_loader`` for API tokens (both in ``accounts.init_app``).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, request
from flask_babel import gettext
from flask_login import LoginManager, current_user

from core.i18n import N_

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = N_("Please log in to reach the staff pages.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

TOKEN_LOADER = "catalogue.token_loader"


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.localize_callback = gettext


def token_loader(app: Flask, load: Callable[[str], object | None]) -> None:
    """Register how an API token becomes the staff member it was issued to."""
    app.extensions[TOKEN_LOADER] = load


def can(user, permission: str) -> bool:
    """Whether ``user`` (a staff member, or anonymous) may do ``permission``."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return False
    return user.can(permission)


def require(permission: str):
    """Decorate an HTML view: redirect to login when anonymous, 403 on wrong role."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def api_user():
    """The user behind the request's bearer token, or None. The API ignores
    the session cookie, so it needs no CSRF token."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        g.api_user = None
        if scheme.lower() == "bearer" and token.strip():
            g.api_user = current_app.extensions[TOKEN_LOADER](token.strip())
    return g.api_user


def require_api(permission: str):
    """Decorate an API view: 401 without a valid token, 403 on wrong role.

    Put it right under ``@blp.route``, above ``@blp.arguments``, so that an
    anonymous or unauthorised request is refused before its body is parsed."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = api_user()
            if user is None:
                abort(401)
            if not can(user, permission):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
