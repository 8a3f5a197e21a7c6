"""The reaping of dead runs (issue 14, finding 4) against the moment after a
kill: the dead process's transaction may still hold the run's row (on
PostgreSQL its backend rolls back only once it notices the closed socket).
The look that comes then must still mark the run interrupted, not skip it
and leave it "running" until some later look."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

from sqlalchemy import text

from core.db import Database
from importers.models import ImportRun
from importers.services.imports import ImportService


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_run_whose_row_is_still_locked_for_a_moment_is_reaped(database_url):
    database = Database(database_url)
    try:
        with database.transaction() as session:
            run = ImportService(session).start_run(source="loc")
            run_id = run.id
        with database.transaction() as session:
            session.get(ImportRun, run_id).pid = _dead_pid()

        # The "dying" writer: holds the row in an open transaction, then lets go.
        holder = database.engine.connect()
        transaction = holder.begin()
        holder.execute(text("UPDATE import_runs SET read = read WHERE id = :id"), {"id": run_id})
        release = threading.Timer(0.5, transaction.rollback)
        release.start()
        try:
            if database.engine.dialect.name == "sqlite":
                release.join()  # SQLite's lock is the file's, released at once by a dead process
            with database.transaction() as session:
                started = time.monotonic()
                [run], _ = ImportService(session).runs()
                assert run.status == "interrupted", "the look just after the kill left the run running"
                assert time.monotonic() - started < 3
        finally:
            release.join()
            holder.close()
    finally:
        database.dispose()


def test_a_live_run_is_never_reaped(database_url):
    database = Database(database_url)
    try:
        with database.transaction() as session:
            run = ImportService(session).start_run(source="loc")
            run_id = run.id
        with database.transaction() as session:
            [run], _ = ImportService(session).runs()
            assert run.id == run_id and run.status == "running"
    finally:
        database.dispose()
