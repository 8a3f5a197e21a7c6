"""The web edge of the ground floor: the transaction per request, the
interface language, authentication, CSRF, template helpers, the API object
and the error shape. Views use these; services never see them."""
from __future__ import annotations

from flask import Flask

from core.web import api, auth, errors, limits, locale, numbers, templating, transaction
from core.web.csrf import csrf
from core.web.routing import LazyBuilderRule


def init_app(app: Flask) -> None:
    """Wire the edge before the domains register their pages and API."""
    app.url_rule_class = LazyBuilderRule
    numbers.init_app(app)
    limits.init_app(app)
    csrf.init_app(app)
    transaction.init_app(app)
    locale.init_app(app)
    auth.init_app(app)
    templating.init_app(app)
    api.init_app(app)


def init_errors(app: Flask) -> None:
    """Map every error to one shape; after the domains, so that these handlers
    replace the API's own."""
    errors.init_app(app)
