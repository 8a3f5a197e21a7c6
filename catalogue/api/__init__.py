"""The JSON API under /api/v1, described by the OpenAPI 3 document at
/api/openapi.json, generated from these blueprints and schemas by flask-smorest."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from .. import __version__
from .schemas import ApiError


class CatalogueApi(Api):
    # flask-smorest documents 422 and default errors with this schema: ours.
    ERROR_SCHEMA = ApiError


api = CatalogueApi()


def init_app(app: Flask, csrf) -> None:
    app.config.update(
        API_TITLE="Cité des métiers catalogue",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": (
                "Staff API of the Cité des métiers catalogue. Authenticate with a bearer token "
                "(`catalogue users token USERNAME`). Errors always have the shape "
                "`{\"error\": {\"status\", \"code\", \"message\", \"fields\"?, \"current\"?, \"submitted\"?}}`."
            )},
            "security": [{"bearerAuth": []}],
        },
    )
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    from . import items, meta, records, uses

    for module in (records, items, uses, meta):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
