"""Staff authentication: a session cookie for the HTML interface (Flask-Login)
and bearer tokens for the API. Visitors are never asked to log in."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, g, request
from flask_login import LoginManager, current_user

from ..accounts.permissions import can
from ..accounts.services import AccountService
from ..i18n import N_
from .transaction import db_session

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = N_("Please log in to reach the staff pages.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(session_id: str):
    try:
        user_id, stamp = session_id.split(":")
        user = AccountService(db_session()).get(int(user_id))
    except ValueError:
        return None
    if user is None or not user.active or user.get_id() != f"{user_id}:{stamp}":
        return None
    return user


def init_app(app: Flask) -> None:
    from flask_babel import gettext

    login_manager.init_app(app)
    login_manager.localize_callback = gettext


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
            g.api_user = AccountService(db_session()).user_for_token(token.strip())
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
