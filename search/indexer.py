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

A big backlog (an import) takes faster roads. When it is a large share of
the index, the whole index is rebuilt and swapped in (the engine's rebuild:
analysis in worker processes, bulk writes), and the rows read before the
rebuild began are forgotten, by the same rule as above. Otherwise the
drain reads bigger batches and lets the engine load in bulk (a cluster
stops refreshing until the end).
"""
from __future__ import annotations

import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import delete, func, select, tuple_

from catalogue.models import Record
from core import heartbeats
from core.db import Database, utcnow
from core.outbox import ReindexRequest, chunks
from core.prepared import Prepared
from search.embedded.prepared import rows as prepared_rows
from search.projection import iter_search_documents, search_documents

log = logging.getLogger(__name__)

BATCH = 500
BULK_MIN = 5_000  # waiting rows from which a drain is a bulk load...
BULK_BATCH = 2_000  # ...reading this many rows at a time
REBUILD_MIN = 5_000  # waiting rows from which a rebuild may be cheaper...
REBUILD_SHARE = 0.4  # ...when they are more than this share of the index

Progress = Callable[[int, int], None]  # (works indexed so far, works to index)


def drain(database: Database, engine, *, batch: int = BATCH, progress: Progress | None = None,
          bulk_min: int = BULK_MIN, rebuild_min: int = REBUILD_MIN, rebuild_share: float = REBUILD_SHARE,
          prepared: Prepared | None = None) -> int:
    """Index (or remove from the index) every record waiting in the outbox.
    Returns how many rows were handled, and leaves a heartbeat. Raises
    what the engine raises; the rows of the failing batch then stay queued.

    ``progress(done, total)`` is called after each batch, in works; the
    total grows if rows are queued meanwhile. A backlog of at least
    ``rebuild_min`` rows and more than ``rebuild_share`` of the index is a
    rebuild; from ``bulk_min`` rows, a bulk load (tests lower all three).
    ``prepared``: rows of new works an import's workers analysed
    (search.embedded.prepared); a rebuild of the embedded index loads those
    of works unchanged since instead of reading them back."""
    engine.ensure_ready()
    waiting = _waiting(database)
    tally = _Tally(progress)
    handled = 0
    if waiting >= rebuild_min and waiting > rebuild_share * engine.count():
        handled = _rebuild_backlog(database, engine, tally, prepared if engine.name == "embedded" else None)
        waiting = _waiting(database)
    bulk = waiting >= bulk_min
    tally.expect(waiting)
    with _loading(engine, bulk):
        handled += _drain_rows(database, engine, max(batch, BULK_BATCH) if bulk else batch, tally)
    heartbeats.beat(database, heartbeats.SEARCH_DRAIN)
    return handled


def _drain_rows(database: Database, engine, batch: int, tally: _Tally) -> int:
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
        tally.advance(len(rows))
        after = (rows[-1].requested_at, rows[-1].record_id)
        if len(rows) < batch:
            break
    return handled


def _rebuild_backlog(database: Database, engine, tally: _Tally, prepared: Prepared | None = None) -> int:
    """Rebuild the whole index, then forget the rows read before it began
    (the rebuild read their records after they were committed); rows
    re-marked meanwhile stay. Returns how many rows were forgotten.

    A work of ``prepared`` whose row is still the one its import queued
    (same time: nothing changed it since) is loaded from its analysed rows;
    every other work is read from the database."""
    with database.session() as session:
        rows = session.execute(select(ReindexRequest.record_id, ReindexRequest.requested_at)).all()
        tally.expect(session.scalar(select(func.count()).select_from(Record)))
    batches, ready = _trusted(prepared, rows) if prepared is not None else ([], set())
    analysed = (tally.counted(prepared_rows(prepared.rows(number), ids), len(ids)) for number, ids in batches)
    with database.session() as session:
        documents = iter_search_documents(session, batch=BULK_BATCH, skip=ready)
        if batches:
            engine.rebuild(tally.counting(documents), analysed=analysed)
        else:
            engine.rebuild(tally.counting(documents))
    _forget(database, rows)
    tally.finish()
    return len(rows)


def _trusted(prepared: Prepared, rows) -> tuple[list[tuple[int, dict[int, int]]], set[int]]:
    """([(batch number, position -> record id of its works to load)], the ids
    of those works): the works whose outbox row is still the one the import
    wrote with them."""
    queued = {row.record_id: row.requested_at for row in rows}
    batches, ready = [], set()
    for number, works in prepared:
        ids = {position: record_id for position, record_id, at in works if queued.get(record_id) == at}
        if ids:
            batches.append((number, ids))
            ready.update(ids.values())
    return batches, ready


def _forget(database: Database, rows) -> None:
    """Delete the rows handled, unless re-marked since (requested_at changed).
    Rows marked together share their time (a batch of an import): one
    statement per time and chunk of ids."""
    by_time: defaultdict = defaultdict(list)
    for row in rows:
        by_time[row.requested_at].append(row.record_id)
    with database.transaction() as session:
        for requested_at, record_ids in by_time.items():
            for part in chunks(record_ids):
                session.execute(delete(ReindexRequest).where(ReindexRequest.requested_at == requested_at,
                                                             ReindexRequest.record_id.in_(part)))


def _waiting(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(ReindexRequest))


def _loading(engine, bulk: bool):
    """The engine's bulk-load mode (a cluster stops refreshing) for a big drain."""
    loading = getattr(engine, "loading", None)
    return loading() if bulk and loading is not None else contextlib.nullcontext()


class _Tally:
    """Works indexed so far and to index, reported to a progress callback."""

    def __init__(self, progress: Progress | None):
        self.progress, self.done, self.total = progress, 0, 0

    def expect(self, count: int) -> None:
        self.total += count
        self._report()

    def advance(self, count: int) -> None:
        self.done += count
        self.total = max(self.total, self.done)
        self._report()

    def finish(self) -> None:
        self.done = self.total
        self._report()

    def counted(self, rows: tuple, works: int) -> tuple:
        """``rows`` of a batch of ``works`` analysed ahead, counted as indexed."""
        self.advance(works)
        return rows

    def counting(self, documents: Iterable[dict], every: int = BATCH) -> Iterator[dict]:
        seen = 0
        for document in documents:
            yield document
            seen += 1
            if seen % every == 0:
                self.advance(every)
        self.advance(seen % every)

    def _report(self) -> None:
        if self.progress is not None and self.total:
            self.progress(self.done, self.total)


def drain_quietly(database: Database, engine, *, progress: Progress | None = None,
                  prepared: Prepared | None = None) -> int | None:
    """drain, logging a failure instead of raising: used after a commit, where
    the change is saved and the outbox keeps the rows for the next drain.
    Returns how many rows were handled, or None on failure."""
    try:
        return drain(database, engine, progress=progress, prepared=prepared)
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
