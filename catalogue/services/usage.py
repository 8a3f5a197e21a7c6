"""The catalogue's answers to the thesaurus about the works its concepts index
(``thesaurus.usage.ConceptUsage``), registered by ``catalogue.init_app``.

Every query reads ``record_descriptors``, indexed on concept_id, a chunk of
ids at a time (SQLite's bound-parameter limit).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from catalogue.models import Record, RecordDescriptor
from core.audit import AuditEvent
from core.db import paginate
from core.outbox import chunks

DESCRIPTORS = RecordDescriptor.__table__


class RecordUsage:
    def records(self, session: Session, concept_ids: Iterable[int]) -> set[int]:
        found: set[int] = set()
        for part in chunks(set(concept_ids)):
            found.update(session.scalars(select(RecordDescriptor.record_id)
                                         .where(RecordDescriptor.concept_id.in_(part))))
        return found

    def counts(self, session: Session, concept_ids: Iterable[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for part in chunks(set(concept_ids)):
            found.update(session.execute(select(RecordDescriptor.concept_id, func.count())
                                         .where(RecordDescriptor.concept_id.in_(part))
                                         .group_by(RecordDescriptor.concept_id)).all())
        return found

    def hand_over(self, session: Session, loser, survivor, *, actor_id: int | None, now: dt.datetime) -> set[int]:
        moved = self.records(session, [loser.id])
        if not moved:
            return moved
        indexed = self.records(session, [survivor.id])
        session.execute(delete(DESCRIPTORS).where(DESCRIPTORS.c.concept_id == loser.id))
        fresh = sorted(moved - indexed)
        if fresh:
            session.execute(insert(DESCRIPTORS), [{"record_id": r, "concept_id": survivor.id, "added_at": now,
                                                   "added_by_id": actor_id} for r in fresh])
        # Each record's history says why its descriptor changed (one short event per record).
        titles = {}
        for part in chunks(moved):
            titles.update(session.execute(select(Record.id, Record.title).where(Record.id.in_(part))).all())
        session.execute(insert(AuditEvent), [
            {"at": now, "actor_id": actor_id, "action": "update", "entity_type": "record", "entity_id": r,
             "record_id": r, "label": titles.get(r, "")[:500],
             "changes": {"descriptors": [loser.pref_label_fr, survivor.pref_label_fr]}}
            for r in sorted(moved)])
        return moved

    def works(self, session: Session, concept_ids: Select, *, page: int, size: int) -> tuple[list[Record], int]:
        indexed = select(RecordDescriptor.record_id).where(RecordDescriptor.concept_id.in_(concept_ids))
        query = select(Record).where(Record.id.in_(indexed)).order_by(Record.title, Record.id)
        return paginate(session, query, page=page, size=size)
