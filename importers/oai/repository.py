"""What the OAI-PMH repository exposes, read from the database (no Flask here).

An OAI item is a live record (datestamp = ``records.updated_at``) or a
tombstone (``record_deletions.deleted_at``). Lists are ordered by
(datestamp, id) and paged by a cursor on that pair, not by an offset: a
record saved during a long harvest moves to the end of the list instead of
shifting every later page, so nothing is skipped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, false, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from catalogue.models import Record, RecordDeletion, RecordDescriptor, RecordPole
from catalogue.vocab import DocumentType
from core.vocab import Pole
from thesaurus.models import Concept

POLE_SET = "pole"
TYPE_SET = "type"


@dataclass(frozen=True)
class Entry:
    id: int
    stamp: dt.datetime
    deleted: bool


@dataclass(frozen=True)
class Selection:
    """The filters of a list request: a set and a [since, before) time window."""

    set_spec: str | None = None
    since: dt.datetime | None = None  # inclusive
    before: dt.datetime | None = None  # exclusive


def set_specs(record: Record) -> list[str]:
    """The leaf sets a record belongs to (parents are implied by the ':' hierarchy)."""
    specs = [f"{POLE_SET}:{pole.value}" for pole in sorted(record.poles, key=lambda p: p.value)]
    specs.append(f"{TYPE_SET}:{record.document_type.value}")
    return specs


def all_sets() -> list[tuple[str, object]]:
    """(setSpec, vocabulary member or field label) for every set, parents first."""
    sets: list[tuple[str, object]] = [(POLE_SET, "Advice poles")]
    sets += [(f"{POLE_SET}:{pole.value}", pole) for pole in Pole]
    sets.append((TYPE_SET, "Document type"))
    sets += [(f"{TYPE_SET}:{kind.value}", kind) for kind in DocumentType]
    return sets


def known_set(spec: str) -> bool:
    return spec in {s for s, _ in all_sets()}


class OaiRepository:
    def __init__(self, session: Session):
        self.session = session

    def earliest(self) -> dt.datetime | None:
        stamps = [self.session.scalar(select(func.min(Record.updated_at))),
                  self.session.scalar(select(func.min(RecordDeletion.deleted_at)))]
        stamps = [s for s in stamps if s is not None]
        return min(stamps) if stamps else None

    def entry(self, record_id: int) -> Entry | None:
        record = self.session.get(Record, record_id)
        if record is not None:
            return Entry(record.id, record.updated_at, False)
        gone = self.session.scalar(select(RecordDeletion).where(RecordDeletion.record_id == record_id))
        return Entry(gone.record_id, gone.deleted_at, True) if gone is not None else None

    def count(self, selection: Selection) -> int:
        listing = self._listing(selection)
        return self.session.scalar(select(func.count()).select_from(listing))

    def page(self, selection: Selection, *, after: tuple[dt.datetime, int] | None, limit: int) -> list[Entry]:
        """Up to ``limit`` entries that come after the cursor ``after``."""
        listing = self._listing(selection)
        query = select(listing.c.id, listing.c.stamp, listing.c.deleted)
        if after is not None:
            stamp, last_id = after
            query = query.where(or_(listing.c.stamp > stamp,
                                    and_(listing.c.stamp == stamp, listing.c.id > last_id)))
        query = query.order_by(listing.c.stamp, listing.c.id).limit(limit)
        return [Entry(row.id, row.stamp, bool(row.deleted)) for row in self.session.execute(query)]

    def records(self, ids: list[int], *, full: bool) -> dict[int, Record]:
        """The live records among ``ids``; ``full`` also loads what metadata needs."""
        if not ids:
            return {}
        query = select(Record).where(Record.id.in_(ids))
        if full:
            query = query.options(selectinload(Record.items), selectinload(Record.subjects))
        return {record.id: record for record in self.session.scalars(query)}

    def descriptor_labels(self, ids: list[int]) -> dict[int, list[str]]:
        """French preferred labels of the thesaurus descriptors of each record."""
        labels: dict[int, list[str]] = {}
        if not ids:
            return labels
        rows = self.session.execute(
            select(RecordDescriptor.record_id, Concept.pref_label_fr)
            .join(Concept, Concept.id == RecordDescriptor.concept_id)
            .where(RecordDescriptor.record_id.in_(ids))
            .order_by(RecordDescriptor.record_id, Concept.pref_label_fr))
        for record_id, label in rows:
            labels.setdefault(record_id, []).append(label)
        return labels

    def _listing(self, selection: Selection):
        """Live records and tombstones of a selection, as one (id, stamp, deleted) subquery."""
        live = select(Record.id.label("id"), Record.updated_at.label("stamp"), literal(0).label("deleted"))
        live = live.where(*self._set_filter(selection.set_spec))
        # A tombstone whose id a live record took again (SQLite may reuse the
        # highest id) is hidden: the identifier then names the live record.
        gone = select(RecordDeletion.record_id.label("id"), RecordDeletion.deleted_at.label("stamp"),
                      literal(1).label("deleted")).where(
            ~exists().where(Record.id == RecordDeletion.record_id))
        # Tombstones do not remember their sets, so they are reported in every
        # set: a harvester ignores deletions of records it never had, but
        # would never learn of a deletion left out.
        if selection.since is not None:
            live = live.where(Record.updated_at >= selection.since)
            gone = gone.where(RecordDeletion.deleted_at >= selection.since)
        if selection.before is not None:
            live = live.where(Record.updated_at < selection.before)
            gone = gone.where(RecordDeletion.deleted_at < selection.before)
        return union_all(live, gone).subquery("oai_items")

    @staticmethod
    def _set_filter(spec: str | None) -> list:
        if not spec or spec == TYPE_SET:
            return []
        if spec == POLE_SET:
            return [Record.id.in_(select(RecordPole.record_id))]
        kind, _, code = spec.partition(":")
        if kind == POLE_SET and code in Pole.values():
            return [Record.id.in_(select(RecordPole.record_id).where(RecordPole.pole == Pole(code)))]
        if kind == TYPE_SET and code in DocumentType.values():
            return [Record.document_type == DocumentType(code)]
        return [false()]
