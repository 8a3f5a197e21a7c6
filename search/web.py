"""The search service as the web edge builds it (HTML pages and the API)."""
from __future__ import annotations

from flask import current_app, g

from core.lru import LRU
from core.web.transaction import db_session
from search.services import SearchService
from search.stats import BufferedRecorder, SearchEvent

READY = "catalogue.search.ready"
RECORDER = "catalogue.search.recorder"
NAMES = "catalogue.search.names"
EVENTS = "search_events"  # in g, when search.answers keeps the request's answer


def search_engine():
    """The app's search engine, made ready once per process."""
    engine = current_app.extensions["catalogue.search"]
    if not current_app.extensions.get(READY):
        # Once per process: a database made without `catalogue init` (a
        # restored copy, the tests' template) then answers "nothing found"
        # rather than failing, until a drain or `catalogue reindex` fills it.
        engine.ensure_ready()
        current_app.extensions[READY] = True
    return engine


def search_service() -> SearchService:
    """SearchService on the request's session; observatory counts go to the
    app's BufferedRecorder, which writes them summed in a transaction of its own."""
    engine = search_engine()
    names = current_app.extensions.get(NAMES)
    if names is None:
        names = current_app.extensions.setdefault(NAMES, LRU(current_app.config["SEARCH_CACHE_SIZE"]))
    return SearchService(db_session(), engine, recorder=_count, names=names)


def _count(event: SearchEvent) -> None:
    recorder()(event)
    kept = g.get(EVENTS)
    if kept is not None:  # the answer is being kept: its hits will count the same searches
        kept.append(event)


def flush_observatory(app) -> None:
    """Write the observatory counts ``app``'s process still holds: when the
    process stops (cite.server; `catalogue serve`)."""
    found = app.extensions.get(RECORDER)
    if found is not None:
        found.close()


def recorder() -> BufferedRecorder:
    """The process's one recorder (per app), made on first use."""
    found = current_app.extensions.get(RECORDER)
    if found is None:
        found = current_app.extensions.setdefault(RECORDER, BufferedRecorder(current_app.extensions["catalogue.db"]))
    return found
