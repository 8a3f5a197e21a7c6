"""The search service as the web edge builds it (HTML pages and the API)."""
from __future__ import annotations

from flask import current_app

from catalogue.web.transaction import db_session

from .service import SearchService
from .stats import recorder_in_own_transaction

READY = "catalogue.search.ready"


def search_service() -> SearchService:
    """SearchService on the request's session; observatory counts are
    written in their own short transaction (see recorder_in_own_transaction)."""
    engine = current_app.extensions["catalogue.search"]
    if not current_app.extensions.get(READY):
        # Once per process: a database made without `catalogue init` (a
        # restored copy, the tests' template) then answers "nothing found"
        # rather than failing, until a drain or `catalogue reindex` fills it.
        engine.ensure_ready()
        current_app.extensions[READY] = True
    return SearchService(db_session(), engine,
                         recorder=recorder_in_own_transaction(current_app.extensions["catalogue.db"]))
