"""Helpers available in every template."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_login import current_user

from .. import vocab
from ..accounts.permissions import can
from ..identifiers import format_isbn


def init_app(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {
            "vocab": vocab,
            "can": lambda permission: can(current_user, permission),
            "current_locale": str(get_locale()),
            "format_isbn": format_isbn,
        }

    app.jinja_env.filters["label"] = lambda member: gettext(member.label) if member is not None else ""
    app.jinja_env.filters["field_label"] = (
        lambda name: gettext(vocab.FIELD_LABELS[name]) if name in vocab.FIELD_LABELS else name)
    app.jinja_env.filters["date"] = lambda value: format_date(value, "medium") if value else ""
    app.jinja_env.filters["datetime"] = lambda value: format_datetime(value, "medium") if value else ""

    @app.template_global()
    def lang_url(code: str) -> str:
        args = request.args.to_dict()
        args["lang"] = code
        from urllib.parse import urlencode
        return f"{request.path}?{urlencode(args)}"
