"""Searching the single catalogue: one engine protocol, two engines (an
embedded SQLite FTS5 index by default, Elasticsearch or OpenSearch for
scale), the projection of records into search documents, the outbox drain
that keeps the index current, the public catalogue with its thematic portals
and kiosks, and the anonymous demand observatory.

``init_app`` makes the engine the settings name and registers what draining
the outbox means, the public and staff pages, the public search API and the
``catalogue reindex`` and ``search`` commands; ``register_jobs`` the drain
that runs every minute as a safety net.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from catalogue import changes
from catalogue.vocab import Audience, DocumentType, Library
from core import outbox
from core.config import SEARCH_FILE
from core.i18n import N_
from core.vocab import Pole
from core.web import api as web_api
from search import cli, indexer, jobs, observatory, views
from search.api import search as search_api
from search.embedded import prepared
from search.engine import make_engine
from search.labels import AVAILABILITY, FACET_TITLES, GOAL_FIELD_LABELS, PORTAL_FIELD_LABELS
from search.vocab import Public


def init_app(app: Flask) -> None:
    if not app.config.get("SEARCH_PATH"):  # next to the instance's other state, decided last
        app.config["SEARCH_PATH"] = str(Path(app.config["INSTANCE_DIR"]) / SEARCH_FILE)
    app.extensions["catalogue.search"] = make_engine(app.config)  # connects on first use
    database = app.extensions["catalogue.db"]
    outbox.on_drain(app, lambda progress=None, prepared=None: indexer.drain_quietly(
        database, app.extensions["catalogue.search"], progress=progress, prepared=prepared))
    # The embedded index can take rows an import's workers analysed; off by default because on
    # 2 CPUs the workers are the import's bottleneck and the analysis costs them more than the
    # drain saves (bench/README.md, *From file to searchable*).
    outbox.on_analyse(app, lambda: prepared.ANALYSE if app.config.get("IMPORT_ANALYSE_IN_WORKERS")
                      and app.config["SEARCH_ENGINE"] == "embedded" else None)
    app.register_blueprint(views.bp)
    changes.describe("portal", N_("Portal"), fields={**FACET_TITLES, **PORTAL_FIELD_LABELS},
                     codes={"pole": Pole, "document_type": DocumentType, "audience": Audience,
                            "library": Library, "availability": AVAILABILITY})
    changes.describe("goal", N_("Goal"), fields=GOAL_FIELD_LABELS,
                     codes={"publics": Public, "document_types": DocumentType, "audiences": Audience})
    app.register_blueprint(observatory.bp)
    web_api.register(search_api.blp)
    app.cli.add_command(cli.reindex)
    app.cli.add_command(cli.search)


def register_jobs(scheduler) -> None:
    jobs.register_jobs(scheduler)
