"""The application: the composition root on top of the floors.

``create_app`` builds the Flask app from the settings and wires every
package explicitly, in the order of the floors: the web edge of the ground
floor (``core``), then each domain's ``init_app`` (its pages, API, commands
and template helpers). The root command (``cite.cli``), the scheduler, the
migrations, the demo and the server live here too. Nothing is discovered by
magic, and no package imports this one.
"""
from __future__ import annotations

import gc
import logging

# Importing the application makes some 280,000 objects that live as long as
# the process (models, schemas, commands). Collecting while they are made
# finds nothing to free and cost 0.15 s of every start: each command, each
# server, each test worker (bench/README.md). Frozen once made, later
# collections skip them too.
_COLLECTING = gc.isenabled()
gc.disable()

from flask import Flask

import accounts
import acquisitions
import catalogue
import importers
import search
import thesaurus
import weeding
from cite import health, staff_home
from core import config as settings
from core import web
from core.db import Database

# The domains, from the lowest floor up: each may use those before it.
PACKAGES = (accounts, catalogue, thesaurus, importers, search, acquisitions, weeding)

gc.freeze()
if _COLLECTING:
    gc.enable()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(settings.load())
    if config:
        app.config.update(config)
    logging.basicConfig(level=app.config["LOG_LEVEL"],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)

    app.extensions["catalogue.db"] = Database(app.config["DATABASE_URL"],
                                              busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    web.init_app(app)
    for package in PACKAGES:
        package.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(staff_home.bp)
    web.init_errors(app)  # last: replaces the API's own error handlers
    return app
