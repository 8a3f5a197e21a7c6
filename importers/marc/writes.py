"""Writing imported records: new ones in bulk, matched ones merged.

New records go in with a few multi-row INSERTs per batch (records, their
contributors, subjects, items and audit events) instead of one ORM unit of
work per record: that is most of the import's speed. Matched records are
merged through the ORM (their version increments), keeping the work done
here: poles, audiences, local notes, descriptors and items added here.
"""
from __future__ import annotations

from sqlalchemy import select

from catalogue.models import Contributor, Item, Record, RecordAudience, RecordPole, RecordSubject
from catalogue.services.records import RecordService
from catalogue.services.snapshots import RECORD_FIELDS, plain_fields, record_fields
from catalogue.services.validation import clean_record
from catalogue.vocab import ONLINE_TYPES, DocumentType, Origin
from core.audit import AuditEvent, diff
from core.bulk import BulkInsert, allocate_ids
from core.outbox import mark_record_ids
from core.text import fold
from importers.marc import held, matching
from importers.services.alignment import apply_mappings

# Fields a source owns; everything else on a record is work done here.
SOURCE_FIELDS = ("title", "subtitle", "responsibility", "publisher", "place", "year", "edition", "series",
                 "isbn", "issn", "languages", "document_type", "summary", "notes", "url", "contributors")
PERIODICAL_FIELDS = ("frequency", "subscription_status", "holdings_statement")


class NewRecord:
    """A record the batch will create; ``id`` is set once inserted."""

    __slots__ = ("prepared", "id", "source_id")

    def __init__(self, prepared, source_id):
        self.prepared, self.id, self.source_id = prepared, None, source_id


def insert_records(service, run, pending: list[NewRecord], barcodes: dict) -> None:
    if not pending:
        return
    session, now, actor = service.session, service.clock(), service.actor_id
    stamps = {"created_at": now, "updated_at": now, "created_by_id": actor, "updated_by_id": actor}
    records, contributors, subjects, poles, audiences, items, events = [], [], [], [], [], [], []
    for new, record_id in zip(pending, allocate_ids(session, Record.__table__, len(pending))):
        new.id = record_id
        p = new.prepared
        row = {name: p.clean[name] for name in RECORD_FIELDS}
        # A tuple is written as the same JSON list, and BulkInsert converts each
        # distinct hashable value once: most records of a file share their languages.
        row["languages"] = tuple(row["languages"] or ())
        row.update(stamps, id=record_id, origin=Origin.MAIN_LIBRARY, source=run.source,
                   source_id=new.source_id, marc_flavour=p.mapped.flavour, match_key=p.candidate.key,
                   raw_marc=p.raw_marc, version=1)
        records.append(row)
        contributors += [{"record_id": record_id, "position": i, "name": c["name"], "role": c["role"]}
                         for i, c in enumerate(p.clean["contributors"])]
        keys = p.incoming.heading_keys or [fold(h) for h, _, _ in p.mapped.subjects]
        subjects += [{"record_id": record_id, "heading": h, "heading_key": key, "vocabulary": v, "tag": t}
                     for (h, v, t), key in zip(p.mapped.subjects, keys)]
        poles += [{"record_id": record_id, "pole": v} for v in p.mapped.local.get("poles", ())]
        audiences += [{"record_id": record_id, "audience": v} for v in p.mapped.local.get("audiences", ())]
        added = []
        for data in p.mapped.items:
            if data["barcode"] in barcodes:  # another work's copy: left where it is
                continue
            barcodes[data["barcode"]] = record_id
            added.append(data["barcode"])
            items.append({**data, **stamps, "record_id": record_id, "source": run.source, "acquired_on": None,
                          "price": None, "condition": None, "public_note": None, "use_count": 0,
                          "last_used_at": None, "version": 1})
        # One short event per record: an import of 100,000 records must not
        # write 100,000 full copies of them into the audit trail (raw MARC is kept).
        changes = {"title": [None, p.clean["title"]],
                   "source": [None, f"{run.source} {new.source_id or ''}".strip()]}
        if added:
            changes["barcode"] = [None, ", ".join(added)]
        # Written exactly as mapped (every copy kept): its worker's search rows hold (core.prepared).
        p.incoming.written = (record_id, now) if len(added) == len(p.mapped.items) else None
        events.append({"at": now, "actor_id": actor, "action": "create", "entity_type": "record",
                       "entity_id": record_id, "record_id": record_id, "label": p.clean["title"][:500],
                       "changes": changes})
    for model, rows in ((Record, records), (Contributor, contributors), (RecordSubject, subjects),
                        (RecordPole, poles), (RecordAudience, audiences), (Item, items),
                        (AuditEvent, events)):
        if rows:
            BulkInsert(session, model.__table__, tuple(rows[0])).insert(rows)
    if subjects:  # headings mapped to concepts give their descriptors (issue 4)
        if apply_mappings(session, {row["record_id"] for row in subjects}, actor_id=actor, now=now):
            for new in pending:  # descriptors are not in the rows the workers analysed
                new.prepared.incoming.written = None
    # One multi-row statement per batch, in the batch's transaction: the outbox.
    mark_record_ids(session, [row["id"] for row in records], "import.create", now=now)


def merge_record(service, run, record: Record, p, barcodes: dict, *, apply: bool = True,
                 rule: str | None = None) -> str:
    """Bring ``record`` up to date with an incoming record; "updated" or "unchanged"
    (with ``apply`` false, only tell: "different" or "unchanged").

    Every value the incoming record has replaces the record's; a value it
    lacks never erases one (it may have been written here). Raises
    ValidationFailed if the result is not a valid record.

    ``rule``: the match rule that found ``record``. An update from another
    source that would change its title or main author is stored for review
    instead (importers.marc.held): "held". None: a person decided, apply it.
    """
    owner = record.source == run.source
    # Our own export coming back (rule "own") says nothing about which source
    # a work belongs to, and its MARC is ours, not the source's original.
    own = rule == "own"
    before = record_fields(record)
    incoming = plain_fields(p.clean)
    target = dict(before)
    for name in SOURCE_FIELDS:
        if incoming.get(name) not in (None, "", []):
            target[name] = incoming[name]
    for name in ("frequency", "holdings_statement"):
        if incoming.get(name):
            target[name] = incoming[name]
    if not target["call_number"]:
        target["call_number"] = incoming.get("call_number")
    # A type the rest of the record cannot have (a website without address,
    # subscription data on a book): keep the type given here.
    if (target["document_type"] != DocumentType.PERIODICAL.value
            and any(target.get(n) for n in PERIODICAL_FIELDS)) or \
            (target["document_type"] in ONLINE_TYPES and not target["url"]):
        target["document_type"] = before["document_type"]
    clean = clean_record(target, today=service.clock().date())
    after = plain_fields(clean)
    changes = diff(before, after)

    ours = [(s.heading, s.vocabulary, s.tag) for s in record.subjects]
    subjects = p.mapped.subjects or ours
    if own and [s[:2] for s in subjects] == [s[:2] for s in ours]:
        subjects = ours  # the same headings under MARC21 tags: a UNIMARC work exported by us
    if subjects != ours:
        changes["subjects"] = ["; ".join(h for h, _, _ in ours), "; ".join(h for h, _, _ in subjects)]
    operations = _item_operations(record, p.mapped.items, run.source, barcodes)
    if operations:
        changes["barcode"] = [None, "; ".join(f"{kind}: {barcode}" for kind, barcode, _ in operations)]
    if not changes:
        return "unchanged"
    if not apply:
        return "different"
    if held.must_hold(run.source, record, rule, before, after):
        if held.known(service.session, record, p):  # the same file again: already waiting, or rejected
            return "unchanged"
        held.hold(service.session, run, record, p, rule, before, after)
        return "held"

    now = service.clock()
    RecordService(service.session, service.actor, service.clock)._apply(record, clean)
    if subjects != ours:
        record.subjects.clear()
        record.subjects.extend(RecordSubject(heading=h, vocabulary=v, tag=t) for h, v, t in subjects)
    _apply_items(record, operations, run.source, barcodes, now, service.actor_id)
    if record.source is None and not own:  # catalogued here, now also known to this source
        record.source = run.source
        record.source_id = _free_source_id(service.session, run.source, p.mapped.source_id)
        owner = True
    if not own and (owner or record.raw_marc is None):
        record.raw_marc, record.marc_flavour = p.raw_marc, p.mapped.flavour
    author = record.contributors[0].name if record.contributors else None
    title = record.title
    if record.title == p.clean["title"] and p.mapped.filing_title:
        title = p.mapped.filing_title
    record.match_key = matching.match_key(title, author, record.year)
    record.updated_at, record.updated_by_id = now, service.actor_id
    service.session.flush()
    if subjects != ours:  # headings mapped to concepts give their descriptors (issue 4)
        apply_mappings(service.session, [record.id], actor_id=service.actor_id, now=now)
    service.audit.log("update", "record", record.id, record_id=record.id, label=record.title, changes=changes)
    return "updated"


def _item_operations(record: Record, incoming: list[dict], source: str, barcodes: dict) -> list[tuple]:
    """(kind, barcode, data) for the source's copies: "add", "change" or
    "withdraw" (a copy of this source the source no longer lists). Copies
    added here, or by another source, are never touched."""
    operations = []
    ours = {item.barcode: item for item in record.items}
    for data in incoming:
        item = ours.get(data["barcode"])
        if item is None:
            if data["barcode"] not in barcodes:
                operations.append(("add", data["barcode"], data))
            continue
        if item.source != source:
            continue
        wanted = {k: data[k] for k in ("library", "location", "call_number")}
        if data["status"] != "available":  # the source says lost or withdrawn
            wanted["status"] = data["status"]
        if any(getattr(item, k) != v for k, v in wanted.items()):
            operations.append(("change", item.barcode, wanted))
    # Only a record that lists copies can say one is gone (a bibliographic-only file says nothing).
    listed = {data["barcode"] for data in incoming}
    if incoming:
        operations += [("withdraw", item.barcode, {"status": "withdrawn"}) for item in record.items
                       if item.source == source and item.barcode not in listed and item.status != "withdrawn"]
    return operations


def _apply_items(record: Record, operations: list[tuple], source: str, barcodes: dict, now, actor) -> None:
    ours = {item.barcode: item for item in record.items}
    for kind, barcode, data in operations:
        if kind == "add":
            barcodes[barcode] = record.id
            record.items.append(Item(**data, source=source, created_at=now, updated_at=now,
                                     created_by_id=actor, updated_by_id=actor))
            continue
        item = ours[barcode]
        for name, value in data.items():
            setattr(item, name, value)
        item.updated_at, item.updated_by_id = now, actor


def _free_source_id(session, source: str, source_id: str | None) -> str | None:
    """``source_id`` unless another record already holds it for this source."""
    if not source_id:
        return None
    taken = session.scalar(select(Record.id).where(Record.source == source, Record.source_id == source_id))
    return None if taken else source_id
