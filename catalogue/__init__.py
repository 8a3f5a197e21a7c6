"""Catalogue of the Cité des métiers documentation space.

``create_app`` wires every package explicitly; each package exposes an
``init_app(app)`` or a blueprint, and nothing is discovered by magic.
"""
from __future__ import annotations

import logging
from pathlib import Path

__version__ = "0.1.0"


def create_app(config: dict | None = None):
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from . import config as settings
    from .db import Database

    app = Flask(__name__)
    app.config.update(settings.load())
    if config:
        app.config.update(config)
    logging.basicConfig(level=app.config["LOG_LEVEL"],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    database = Database(app.config["DATABASE_URL"], busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions["catalogue.db"] = database
    if not app.config.get("SEARCH_PATH"):  # next to the instance's other state, decided last
        app.config["SEARCH_PATH"] = str(Path(app.config["INSTANCE_DIR"]) / "search.db")
    from search.engines import make_engine

    app.extensions["catalogue.search"] = make_engine(app.config)  # connects on first use

    from .web import auth, errors, locale, templating, transaction

    csrf = CSRFProtect(app)
    transaction.init_app(app)
    locale.init_app(app)
    auth.init_app(app)
    templating.init_app(app)

    from . import api, health, views
    from .accounts import views as account_views

    app.register_blueprint(views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(health.bp)
    from importers.oai import server as oai_server

    csrf.exempt(oai_server.bp)  # public and read-only; OAI-PMH allows POST
    app.register_blueprint(oai_server.bp)
    from importers import views as import_views

    app.register_blueprint(import_views.bp)
    from thesaurus import api as thesaurus_api
    from thesaurus import views as thesaurus_views

    app.register_blueprint(thesaurus_views.bp)
    from search import views as search_views

    app.register_blueprint(search_views.bp)
    api.init_app(app, csrf)
    thesaurus_api.init_app(api.api, csrf)
    from search import api as search_api
    from search import observatory

    search_api.init_app(api.api, csrf)
    app.register_blueprint(observatory.bp)
    errors.init_app(app)  # after the API, whose own handlers this replaces
    return app
