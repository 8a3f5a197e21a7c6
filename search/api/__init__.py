"""The public search API under /api/v1/search: no token, no cookie. Same
OpenAPI document and error shape as the staff API."""
from __future__ import annotations


def init_app(api, csrf) -> None:
    from . import search

    csrf.exempt(search.blp)
    api.register_blueprint(search.blp, url_prefix="/api/v1")
