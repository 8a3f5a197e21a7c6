"""Helpers available in every template. Each domain adds its own (the
catalogue its vocabularies and ISBN formatting) in its ``init_app``."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale, gettext
from flask_login import current_user

from core.web.auth import can


def init_app(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {
            "can": lambda permission: can(current_user, permission),
            "current_locale": str(get_locale()),
        }

    app.jinja_env.filters["label"] = lambda member: gettext(member.label) if member is not None else ""
    app.jinja_env.filters["date"] = lambda value: format_date(value, "medium") if value else ""
    app.jinja_env.filters["datetime"] = lambda value: format_datetime(value, "medium") if value else ""
    # Money as the reader's language writes it: "1 500,00 €" in French, "€1,500.00" in English;
    # "amount" without the sign, for columns whose heading already says euros.
    app.jinja_env.filters["euros"] = lambda value: format_currency(value, "EUR") if value is not None else ""
    app.jinja_env.filters["amount"] = (lambda value: format_decimal(value, "#,##0.00")
                                       if value is not None else "")

    @app.template_global()
    def lang_url(code: str) -> str:
        args = request.args.to_dict()
        args["lang"] = code
        return f"{request.path}?{urlencode(args)}"
