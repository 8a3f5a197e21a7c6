"""Importing a file from start to end: the transactions around ImportService.

Used by ``catalogue import`` and by bench/import.py. The run row is committed
first, then one transaction per batch of records (records, counts, rejects
and held updates of a batch commit together), so a crash leaves a "failed" run whose counts
add up. A dry run imports into one transaction that is rolled back, then
stores only the run's report and rejects (a held update of a dry run is only
counted: there is nothing to apply).
"""
from __future__ import annotations

import gc
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from core.db import Database
from core.prepared import Prepared
from importers.marc import pipeline
from importers.marc.matching import WorkSet
from importers.marc.reader import RawRecord, write_rejects
from importers.models import ImportReject, ImportRun
from importers.services.imports import ImportService

BATCH = 500
GC_EVERY = 40  # batches (a collection takes a tenth of a second)


@dataclass
class FileReport:
    file: str
    run: int
    status: str
    read: int
    created: int
    updated: int
    unchanged: int
    held: int  # updates from another source waiting for review on the run's page
    rejected: int
    rejects_file: str | None
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def import_file(database: Database, path: str | os.PathLike, *, source: str, flavour: str = "auto",
                encoding: str = "auto", dry_run: bool = False, rules: str | None = None, actor=None,
                rejects_dir: str | os.PathLike | None = None, batch: int = BATCH,
                workers: int | None = None, progress: Callable[[int], None] | None = None,
                seen: WorkSet | None = None, analyse: str | None = None,
                prepared: Prepared | None = None) -> FileReport:
    """Import one file; ``progress`` is called with the bytes read so far.
    ``workers``: processes that parse and map records while this one writes
    (default: 2 for a big ISO 2709 file on a machine with several CPUs; 0:
    everything happens here). ``seen``: shared by the files of one command,
    so that the first record describing a work wins (see import_incoming).
    ``analyse`` and ``prepared``: the workers also analyse the search
    documents of the new works with ``analyse`` (core.outbox.analyser), and
    their rows go to ``prepared``, for the drain that follows."""
    options = {} if rules is None else {"rules": rules}
    with database.transaction() as session:
        run = ImportService(session, actor, **options).start_run(
            kind="file", source=source, location=str(path), flavour=flavour, encoding=encoding,
            dry_run=dry_run)
        run_id = run.id
    workers = pipeline.default_workers(path) if workers is None else workers
    if dry_run or analyse is None or prepared is None or workers < 1:
        analyse, prepared = None, None  # without workers, analysing ahead would only move the work here
    if seen is None or dry_run:  # a dry run's new works are rolled back: their ids mean nothing
        seen = WorkSet()
    error, counts, rejects = None, {}, []
    try:
        with pipeline.batches(path, encoding=encoding, flavour=flavour, size=batch, workers=workers,
                              analyse=analyse) as read:
            if dry_run:
                counts, rejects = _dry_run(database, run_id, read, actor, options, progress, seen)
            else:
                _import(database, run_id, read, actor, options, progress, seen, prepared)
    except Exception as exc:  # the report says why; what was committed stays
        error = f"{type(exc).__name__}: {exc}"
    except BaseException:  # Ctrl+C: the run says so, then the command stops
        _finish(database, run_id, actor, options, rejects_dir, "interrupted", dry_run, counts, rejects)
        raise
    return _finish(database, run_id, actor, options, rejects_dir, error, dry_run, counts, rejects)


def _import(database: Database, run_id: int, read, actor, options: dict, progress, seen: WorkSet,
            prepared: Prepared | None) -> None:
    """One transaction per batch: its records, the run's counts and its rejects."""
    for number, (position, records, rows) in enumerate(read, 1):
        before = seen.snapshot()
        try:
            with database.transaction() as session:
                run = session.get(ImportRun, run_id)
                run.syntax = run.syntax or records[0].syntax
                ImportService(session, actor, **options).import_incoming(run, records, seen=seen)
        except BaseException:
            seen.restore(before)  # the works of a rolled-back batch were never written
            raise
        if prepared is not None and rows is not None:  # committed: the drain may load them
            prepared.add(rows, [(incoming.position, *incoming.written) for incoming in records
                                if incoming.written is not None])
        _collect(number)
        if progress:
            progress(position)


def _finish(database, run_id, actor, options, rejects_dir, error, dry_run, counts, rejects) -> FileReport:
    with database.transaction() as session:
        run = session.get(ImportRun, run_id)
        if dry_run:
            for name, value in counts.items():  # nothing of a failed dry run can be reported
                setattr(run, name, value)
            session.add_all(ImportReject(run_id=run_id, **reject) for reject in rejects)
            session.flush()
        run.rejects_file = _write_rejects(session, run, rejects_dir)
        ImportService(session, actor, **options).finish_run(
            run, status="failed" if error else "finished", error=error)
        return FileReport(run.location, run.id, run.status, run.read, run.created, run.updated,
                          run.unchanged, run.held, run.rejected, run.rejects_file, run.error)


def _dry_run(database: Database, run_id: int, read, actor, options: dict, progress, seen):
    """Import everything in one transaction, read the report, roll back."""
    session = database.session(write=True)
    try:
        run = session.get(ImportRun, run_id)
        service = ImportService(session, actor, **options)
        for number, (position, records, _rows) in enumerate(read, 1):
            run.syntax = run.syntax or records[0].syntax
            service.import_incoming(run, records, seen=seen)
            # Only the run stays in memory (all is flushed): memory stays flat.
            session.expunge_all()
            session.add(run)
            _collect(number)
            if progress:
                progress(position)
        counts = {name: getattr(run, name)
                  for name in ("syntax", "read", "created", "updated", "unchanged", "held", "rejected")}
        rejects = [{"position": r.position, "reason": r.reason, "raw": r.raw} for r in session.scalars(
            select(ImportReject).where(ImportReject.run_id == run_id).order_by(ImportReject.position))]
        return counts, rejects
    finally:
        session.rollback()
        session.close()


def _collect(batch_number: int) -> None:
    """The import runs with rare automatic garbage collections (see
    core.batchwork.relaxed_gc); sessions leave reference cycles behind, so collect
    them now and then, or memory creeps up with the size of the file."""
    if batch_number % GC_EVERY == 0:
        gc.collect()


def _write_rejects(session, run: ImportRun, rejects_dir) -> str | None:
    """The run's rejects, raw, in one file that can be fixed and imported again."""
    if not run.rejected or rejects_dir is None:
        return None
    directory = Path(rejects_dir)
    directory.mkdir(parents=True, exist_ok=True)
    syntax = run.syntax or "iso2709"
    path = directory / f"run-{run.id}.{'xml' if syntax == 'marcxml' else 'mrc'}"
    rows = session.execute(select(ImportReject.position, ImportReject.reason, ImportReject.raw)
                           .where(ImportReject.run_id == run.id).order_by(ImportReject.position)
                           .execution_options(yield_per=100))
    written = write_rejects(path, (RawRecord(position, raw or b"", syntax, None, reason, None)
                                   for position, reason, raw in rows))
    return str(written[0]) if written else None
