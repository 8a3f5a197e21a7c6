"""Staff accounts: users, their roles and API tokens, login and logout, and
the inbox where the staff hear of what concerns them.

``init_app`` registers the login pages and the inbox, the ``catalogue users``
commands and how the web edge loads a staff member (``core.web.auth``): from
the session cookie, or from an API token.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext
from flask_login import current_user

from accounts import cli, views
from accounts.services import AccountService, NotificationService
from accounts.throttle import LoginThrottle
from core.i18n import render
from core.web import auth
from core.web.transaction import db_session


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.extensions["accounts.throttle"] = LoginThrottle()
    app.cli.add_command(cli.users)
    auth.login_manager.user_loader(_load_user)
    auth.token_loader(app, lambda token: AccountService(db_session()).user_for_token(token))
    app.context_processor(_inbox)
    app.add_template_filter(lambda n: render(n.message, n.params, gettext), "notice")


def register_jobs(scheduler) -> None:
    """Staff accounts have no periodic job (their mail goes out with the
    scheduler's own mail job)."""


def _inbox() -> dict:
    """The unread count shown in the staff navigation."""
    if not current_user.is_authenticated:
        return {}
    return {"inbox_unread": NotificationService(db_session()).unread(current_user.id)}


def _load_user(session_id: str):
    try:
        user_id, stamp = session_id.split(":")
        user = AccountService(db_session()).get(int(user_id))
    except ValueError:
        return None
    if user is None or not user.active or user.get_id() != f"{user_id}:{stamp}":
        return None
    return user
