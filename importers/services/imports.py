"""Importing MARC records into the catalogue, a batch at a time.

The service flushes and never commits: the edge (``catalogue import``, the
harvester) owns the transactions, one per batch, so a crash leaves the
batches already committed and a run whose counts add up.

Every record read ends up in exactly one count: created, updated, unchanged,
held (an update from another source waiting for review, importers.marc.held)
or rejected (with its position, reason and raw bytes).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.models import Item, Record
from catalogue.vocab import ItemStatus
from core.db import paginate, utcnow
from core.errors import ValidationFailed
from core.outbox import mark_record_ids
from core.services import Service
from importers.marc import matching
from importers.marc.mapping import Mapped
from importers.marc.stage import Incoming, clean_mapped, read_stage
from importers.marc.stage import reason as _reason
from importers.marc.writes import NewRecord, insert_records, merge_record
from importers.models import ImportReject, ImportRun
from importers.services import leases

__all__ = ["ImportService", "Incoming", "clean_mapped", "read_stage"]


@dataclass
class Prepared:
    incoming: Incoming
    mapped: Mapped
    clean: dict
    candidate: matching.Candidate
    raw_marc: bytes


class ImportService(Service):
    """Runs, matching and merging. ``rules`` is CATALOGUE_IMPORT_MATCH_RULES."""

    def __init__(self, session, actor=None, clock=utcnow, *, rules=matching.DEFAULT_RULES):
        super().__init__(session, actor, clock)
        self.rules = matching.parse_rules(rules) if isinstance(rules, str) else tuple(rules)

    # Runs --------------------------------------------------------------------
    def start_run(self, *, kind: str = "file", source: str | None, location: str | None = None,
                  syntax: str | None = None, flavour: str = "auto", encoding: str = "auto",
                  dry_run: bool = False) -> ImportRun:
        leases.reap(self.session, self.clock())
        host, pid = leases.here()
        run = ImportRun(kind=kind, source=source, location=location, syntax=syntax, flavour=flavour,
                        encoding=encoding, dry_run=dry_run, started_at=self.clock(),
                        started_by_id=self.actor_id, status="running", host=host, pid=pid,
                        heartbeat_at=self.clock(), read=0, created=0, updated=0, unchanged=0, held=0,
                        rejected=0)
        self.session.add(run)
        if "key" in self.rules:
            matching.backfill_keys(self.session)
        self.session.flush()
        return run

    def finish_run(self, run: ImportRun, *, status: str = "finished", error: str | None = None) -> ImportRun:
        counted = run.created + run.updated + run.unchanged + run.held + run.rejected
        assert run.read == counted, f"run {run.id}: read {run.read} != {counted} counted"
        run.status = status
        run.error = error
        run.finished_at = self.clock()
        self.session.flush()
        return run

    def runs(self, *, page: int = 1, size: int = 25) -> tuple[list[ImportRun], int]:
        """Import runs and harvests, the latest first (those whose process is gone: interrupted)."""
        leases.reap(self.session, self.clock())
        return paginate(self.session, select(ImportRun).order_by(ImportRun.id.desc()), page=page, size=size)

    def get_run(self, run_id: int) -> ImportRun | None:
        leases.reap(self.session, self.clock())
        return self.session.get(ImportRun, run_id)

    def rejects(self, run_id: int, *, page: int = 1, size: int = 50) -> tuple[list[ImportReject], int]:
        query = select(ImportReject).where(ImportReject.run_id == run_id).order_by(ImportReject.position,
                                                                                    ImportReject.id)
        return paginate(self.session, query, page=page, size=size)

    # Records -----------------------------------------------------------------
    def import_batch(self, run: ImportRun, raws: list, *, flavour: str = "auto") -> list[str]:
        """Import RawRecords in order; returns one outcome per record."""
        today = self.clock().date()
        return self.import_incoming(run, [read_stage(raw, flavour, today) for raw in raws])

    def import_incoming(self, run: ImportRun, records: list[Incoming], *,
                        seen: matching.WorkSet | None = None) -> list[str]:
        """Import records already read and mapped (see read_stage), in order.

        ``seen``: the works this import command wrote or found so far. A record
        that describes one of them again, with other values, is rejected as a
        duplicate: the first one wins, so importing the same files again
        changes nothing (without it, a later record updates the work)."""
        run.heartbeat_at = self.clock()  # committed with the batch: the run's sign of life
        outcomes: list[str | None] = [None] * len(records)
        prepared: list[tuple[int, Prepared]] = []
        for position, incoming in enumerate(records):
            if incoming.error is not None:
                outcomes[position] = self._reject(run, incoming, incoming.error)
                continue
            mapped, clean = incoming.mapped, incoming.clean
            candidate = matching.Candidate(source=run.source, source_id=mapped.source_id,
                                           isbns=mapped.isbns if clean["isbn"] else [], issn=clean["issn"],
                                           key=incoming.key, own_id=mapped.own_id, words=incoming.words,
                                           former_id=incoming.former_id)
            prepared.append((position, Prepared(incoming, mapped, clean, candidate, incoming.raw_marc)))
        seen = seen if seen is not None else _NoWorks()

        index = matching.load_index(self.session, [p.candidate for _, p in prepared], self.rules)
        matched = {index.find(p.candidate, self.rules)[0] for _, p in prepared} - {None}
        loaded = self._load(matched)  # noqa: F841 (held: the session keeps weak references)
        barcodes = self._barcodes({i["barcode"] for _, p in prepared for i in p.mapped.items})
        pending: list[NewRecord] = []
        merged: list[int] = []  # queued for the search index once per batch, like new records
        for position, p in prepared:
            found, rule = index.find(p.candidate, self.rules)
            if isinstance(found, NewRecord):  # the same work twice in one batch
                if found.id is None:
                    insert_records(self, run, pending, barcodes)
                    for new in pending:
                        seen.add(new.id)
                    pending = []
                found = found.id
            if found is None:
                source_id = p.candidate.source_id
                if (run.source, source_id) in index.source_ids:  # taken, and not a match rule
                    source_id = None
                new = NewRecord(p, source_id)
                pending.append(new)
                index.add(new, run.source, source_id, p.candidate)
                outcomes[position] = "created"
                continue
            index.adopt(found, p.candidate)  # a record under an earlier version's digest takes today's
            record = self.session.get(Record, found)
            duplicate = found in seen
            try:
                outcome = merge_record(self, run, record, p, barcodes, apply=not duplicate, rule=rule)
            except ValidationFailed as error:
                outcome = self._reject(run, p.incoming, "The record cannot be merged into "
                                       f"work number {record.id}: {_reason(error)}")
            if outcome == "different":
                outcome = self._reject(run, p.incoming, (
                    f"An earlier record of this import describes the same work (number {record.id}) "
                    "differently: only the first one is imported."))
            outcomes[position] = outcome
            if outcome == "updated":
                merged.append(record.id)
            seen.add(record.id)
            index.add(record.id, record.source, record.source_id, p.candidate)
        insert_records(self, run, pending, barcodes)
        for new in pending:
            seen.add(new.id)
        matching.save_adopted(self.session, index)
        mark_record_ids(self.session, merged, "import.update", now=self.clock())
        if merged:  # created, then updated by a later record of the batch: not as its worker saw it
            changed = set(merged)
            for incoming in records:
                if incoming.written is not None and incoming.written[0] in changed:
                    incoming.written = None
        # Counted once per batch: an ORM attribute event per record adds up.
        run.read += len(records)
        for name in ("created", "updated", "unchanged", "held", "rejected"):
            setattr(run, name, getattr(run, name) + outcomes.count(name))
        self.session.flush()
        return outcomes

    def withdraw(self, run: ImportRun, *, source: str, source_id: str) -> str:
        """A deletion announced by a source (OAI-PMH): that source's items of the
        record are withdrawn; the record itself is never deleted."""
        run.read += 1
        record = self.session.scalar(select(Record).where(Record.source == source,
                                                          Record.source_id == source_id))
        items = [i for i in record.items if i.source == source and i.status != ItemStatus.WITHDRAWN] \
            if record is not None else []
        if not items:
            run.unchanged += 1
            return "unchanged"
        now = self.clock()
        for item in items:
            item.status = ItemStatus.WITHDRAWN
            item.updated_at, item.updated_by_id = now, self.actor_id
        self.audit.log("update", "record", record.id, record_id=record.id, label=record.title,
                       changes={"status": [None, f"withdrawn: {', '.join(i.barcode for i in items)}"]})
        # Its libraries and availability in the search index change.
        mark_record_ids(self.session, [record.id], "harvest.delete", now=now)
        run.updated += 1
        self.session.flush()
        return "updated"

    # Helpers -----------------------------------------------------------------
    def _reject(self, run: ImportRun, incoming: Incoming, reason: str) -> str:
        self.session.add(ImportReject(run_id=run.id, position=incoming.position, reason=reason,
                                      raw=incoming.raw))
        return "rejected"

    def _load(self, record_ids: set) -> list[Record]:
        """Load the matched records and what merging reads, in a few queries.
        The caller keeps the list: the session only holds weak references."""
        ids = [i for i in record_ids if isinstance(i, int)]
        loaded = []
        for start in range(0, len(ids), 500):
            loaded += self.session.scalars(
                select(Record).where(Record.id.in_(ids[start:start + 500]))
                .options(selectinload(Record.items), selectinload(Record.subjects))).all()
        return loaded

    def _barcodes(self, barcodes: set[str]) -> dict[str, int]:
        """Barcodes already in the catalogue -> their record's id."""
        found = {}
        values = list(barcodes)
        for start in range(0, len(values), 500):
            found.update(self.session.execute(
                select(Item.barcode, Item.record_id)
                .where(Item.barcode.in_(values[start:start + 500]))).all())
        return found


class _NoWorks:
    """No memory of earlier batches: a later record updates the work."""

    def add(self, record_id) -> None:
        pass

    def __contains__(self, record_id) -> bool:
        return False
