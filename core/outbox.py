"""The search outbox: records whose search document must be rebuilt.

Writers queue record ids with ``mark_record_ids`` in the same transaction as
their change, whatever their floor (the catalogue's services, the thesaurus,
imports). The edge that owns the transaction drains the outbox once it has
committed: the web request (``core.web.transaction``), every command
(``core.cli``) and the scheduler, every minute, as a safety net. What a drain
does belongs to the search package, which registers it with ``on_drain``;
this floor only knows that one is wanted.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable

from sqlalchemy import Integer, String, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, Database, UTCDateTime, utcnow

# Keep IN lists well below SQLite's bound-parameter limit.
CHUNK = 5000

EXTENSION = "catalogue.outbox.drain"
ANALYSER = "catalogue.outbox.analyser"


class ReindexRequest(Base):
    """A record whose search document must be rebuilt, written in the same
    transaction as the change. One row per record however many times it is
    marked. No foreign key: a deleted record's row must stay, so the indexer
    removes it from the index."""

    __tablename__ = "reindex_queue"

    record_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reason: Mapped[str] = mapped_column(String(64))


def chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def mark_record_ids(session: Session, record_ids: Iterable[int], reason: str, *, now=None) -> int:
    """Queue ``record_ids`` for re-indexing: one row per record, its time and
    reason refreshed if it was already waiting. Returns how many records.
    Sets ``session.info["reindex"]``, which tells the edge owning the
    transaction to drain once it has committed."""
    record_ids = set(record_ids)
    if not record_ids:
        return 0
    session.info["reindex"] = True
    now = now or utcnow()
    reason = reason[:64]
    # One upsert (SQLite and PostgreSQL both have ON CONFLICT) handed to the
    # driver: no SELECT of the rows waiting, no UPDATE with an IN list, no
    # per-row work by the ORM, which cost an import batch more than its records.
    connection = session.connection()
    sql, order, stamp = _upsert(connection.dialect)
    at = stamp(now)
    rows = [{"record_id": record_id, "requested_at": at, "reason": reason} for record_id in sorted(record_ids)]
    if order is not None:  # positional parameters (SQLite)
        rows = [tuple(row[name] for name in order) for row in rows]
    connection.exec_driver_sql(sql, rows)
    return len(record_ids)


@functools.lru_cache(maxsize=4)
def _upsert(dialect):
    """(SQL, parameter order or None, converter of the timestamp) of the upsert."""
    table = ReindexRequest.__table__
    statement = (postgresql.insert if dialect.name == "postgresql" else sqlite.insert)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.record_id],
        set_={"requested_at": statement.excluded.requested_at, "reason": statement.excluded.reason})
    compiled = statement.compile(dialect=dialect, column_keys=["record_id", "requested_at", "reason"])
    processor = table.c.requested_at.type.dialect_impl(dialect).bind_processor(dialect)
    return str(compiled), compiled.positiontup, processor or (lambda value: value)


def waiting(database: Database) -> int:
    """How many records wait in the outbox."""
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(ReindexRequest))


def on_drain(app, drain: Callable[..., int | None]) -> None:
    """Register what draining means for ``app`` (the search package does, in
    its ``init_app``): a callable that indexes what waits, logs its own
    failures and returns how many rows it handled (None on failure). It
    takes an optional ``progress(done, total)`` callback, in works, and
    optional ``prepared`` rows (core.prepared)."""
    app.extensions[EXTENSION] = drain


def on_analyse(app, analyser: Callable[[], str | None]) -> None:
    """Register (the search package does) what tells a bulk writer how to
    analyse its works' search documents ahead of the drain: a callable that
    gives the "module.function" to run in its worker processes, or None when
    the engine in use has no such road (core.prepared)."""
    app.extensions[ANALYSER] = analyser


def analyser(app) -> str | None:
    """The "module.function" that analyses new works' search documents in a
    bulk writer's worker processes (list of (position, values) -> bytes), or
    None: then the drain reads the works back, as for any writer."""
    registered = app.extensions.get(ANALYSER)
    return registered() if registered is not None else None


def drain(app, progress: Callable[[int, int], None] | None = None, prepared=None) -> int | None:
    """Drain the outbox now if a drain is registered; None when none is.
    ``progress(done, total)`` follows the works indexed (a progress bar);
    ``prepared``: rows analysed ahead by the command (core.prepared.Prepared)."""
    registered = app.extensions.get(EXTENSION)
    if registered is None:
        return None
    options = {"progress": progress} if progress is not None else {}
    if prepared is not None and prepared.works:
        options["prepared"] = prepared
    return registered(**options)
