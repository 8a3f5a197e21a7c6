"""Runs whose process is gone: an import killed with ``kill -9`` (or a
machine that lost power) never finishes its run, which would say "running"
forever. Each run records its host and process and beats at every batch;
whoever looks at the runs first marks the dead ones ``interrupted``, with
the counts they had committed (each batch commits its records and counts
together, so those add up).

On the run's own host a process that no longer exists is dead at once;
from another host, a run silent for ``LEASE`` is. A run whose row is locked
by a live transaction is left for the next look.

On PostgreSQL a killed client's backend outlives it by a moment: it still
holds the run's row lock until it notices the closed socket and rolls back.
So the lock is waited for, briefly, rather than skipped: a live import only
holds it for the commit of one batch.
"""
from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from importers.models import ImportRun

LEASE = dt.timedelta(minutes=15)  # longer than any batch or OAI-PMH page with its retries
LOCK_WAIT = "3s"
GONE = "The process running this import stopped before the end (killed or crashed): what it had committed " \
       "is kept, and its counts add up. Import the file again to finish it."


def here() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def reap(session: Session, now: dt.datetime) -> int:
    """Mark the running runs whose process is gone as interrupted; returns how many."""
    running = list(session.scalars(select(ImportRun).where(ImportRun.status == "running")))
    dead = [run.id for run in running if _gone(run, now)]
    if not dead:
        return 0
    query = select(ImportRun).where(ImportRun.id.in_(dead), ImportRun.status == "running")
    postgresql = session.get_bind().dialect.name == "postgresql"
    try:
        with session.begin_nested():
            if postgresql:
                # Local to the savepoint: a timeout rolls it back, and with it the setting.
                session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
                query = query.with_for_update()
            for run in session.scalars(query):
                run.status, run.error = "interrupted", GONE
                run.finished_at = run.heartbeat_at or run.started_at
            if postgresql:
                session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
        return len(dead)
    except OperationalError:  # the row stayed locked (SQLite: busy): the next look will do it
        return 0


def _gone(run: ImportRun, now: dt.datetime) -> bool:
    host, _ = here()
    if run.host == host and run.pid:
        return not _alive(run.pid)
    last = run.heartbeat_at or run.started_at
    return last is not None and _aware(last) < now - LEASE


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
