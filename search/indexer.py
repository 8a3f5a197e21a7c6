"""Draining the search outbox (core.outbox.ReindexRequest) into the engine.

Writers queue record ids in the same transaction as their change
(core.outbox.mark_record_ids); the edge drains after commit: the web
request (core.web.transaction), every ``catalogue`` command (core.cli), and
the scheduler every minute as a safety net (search.jobs). Each completed
drain leaves a heartbeat, which /healthz reports. A drain that fails (the cluster is
down) leaves the rows where they are for the next one.

Rows are removed only if nobody re-marked them while we indexed: a change
committed between our read and our delete keeps its row, so the next drain
indexes the newer document. Indexing the same document twice is harmless
(index is an upsert), so concurrent drains need no lock.
"""
from __future__ import annotations

import logging

from sqlalchemy import and_, delete, or_, select, tuple_

from core import heartbeats
from core.db import Database, utcnow
from core.outbox import ReindexRequest, chunks
from search.projection import iter_search_documents, search_documents

log = logging.getLogger(__name__)

BATCH = 500


def drain(database: Database, engine, *, batch: int = BATCH) -> int:
    """Index (or remove from the index) every record waiting in the outbox.
    Returns how many rows were handled, and leaves a heartbeat. Raises
    what the engine raises; the rows of the failing batch then stay queued."""
    engine.ensure_ready()
    handled = 0
    after = None  # keyset (requested_at, record_id): each row is read once per drain
    while True:
        with database.session() as session:
            query = select(ReindexRequest.record_id, ReindexRequest.requested_at)
            if after is not None:
                query = query.where(tuple_(ReindexRequest.requested_at, ReindexRequest.record_id) > after)
            rows = session.execute(query.order_by(ReindexRequest.requested_at, ReindexRequest.record_id)
                                   .limit(batch)).all()
            if not rows:
                break
            documents = search_documents(session, [row.record_id for row in rows])
        gone = [row.record_id for row in rows if row.record_id not in documents]
        if documents:
            engine.index(list(documents.values()))
        if gone:
            engine.delete(gone)
        _forget(database, rows)
        handled += len(rows)
        after = (rows[-1].requested_at, rows[-1].record_id)
        if len(rows) < batch:
            break
    heartbeats.beat(database, heartbeats.SEARCH_DRAIN)
    return handled


def _forget(database: Database, rows) -> None:
    """Delete the rows handled, unless re-marked since (requested_at changed)."""
    with database.transaction() as session:
        for part in chunks(rows, 200):
            session.execute(delete(ReindexRequest).where(or_(*(
                and_(ReindexRequest.record_id == row.record_id, ReindexRequest.requested_at == row.requested_at)
                for row in part))))


def drain_quietly(database: Database, engine) -> int | None:
    """drain, logging a failure instead of raising: used after a commit, where
    the change is saved and the outbox keeps the rows for the next drain.
    Returns how many rows were handled, or None on failure."""
    try:
        return drain(database, engine)
    except Exception:  # any engine or network error: the scheduler retries
        log.warning("The search index could not be updated now; the queued works stay queued "
                    "and the next drain (at most a minute with `catalogue scheduler`) retries.",
                    exc_info=True)
        return None


def rebuild(database: Database, engine, *, batch: int = BATCH) -> int:
    """Rebuild the whole index from the database, swapped in at once, then
    forget the outbox rows queued before the rebuild began (the new index has
    their documents). Rows queued during the rebuild stay for the next drain:
    the rebuild may have read their record before the change."""
    started = utcnow()
    engine.ensure_ready()
    with database.session() as session:
        count = engine.rebuild(iter_search_documents(session, batch=batch))
    with database.transaction() as session:
        session.execute(delete(ReindexRequest).where(ReindexRequest.requested_at < started))
    return count

