"""Which records must be re-indexed when the thesaurus changes.

A record's search document (catalogue.projection) holds, for each of its
descriptors, the concept's labels, status and replacement, and the ids of
the concept's broader ancestors. So:

- a change of labels or status marks the records indexed with the concept;
- a change of place in the hierarchy (move, merge) marks the records indexed
  with the concept *or any concept below it*, whose ancestor path changed.

Nothing else is marked: notes, notations, related links and mappings are not
in the document. ``tests/thesaurus/test_indexing.py`` proves the marking
exact by comparing documents before and after each edit.

Every query walks indexed columns (concept_relations has its primary key on
source_id and an index on target_id), one query per level of the hierarchy.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from catalogue.db import utcnow
from catalogue.models import RecordDescriptor, ReindexRequest
from thesaurus.models import ConceptRelation
from thesaurus.vocab import RelationKind

# Keep IN lists well below SQLite's bound-parameter limit.
CHUNK = 5000


def chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def descendants(session: Session, concept_ids: Iterable[int]) -> set[int]:
    """Every concept strictly below ``concept_ids`` (narrower, transitively).

    Safe on a thesaurus that already has a cycle: each concept is visited once.
    """
    seen: set[int] = set()
    frontier = set(concept_ids)
    start = set(frontier)
    while frontier:
        found: set[int] = set()
        for part in chunks(frontier):
            found.update(session.scalars(select(ConceptRelation.source_id).where(
                ConceptRelation.kind == RelationKind.BROADER.value, ConceptRelation.target_id.in_(part))))
        frontier = found - seen
        seen |= found
    return seen - start


def broader_map(session: Session, concept_ids: Iterable[int]) -> dict[int, set[int]]:
    """concept id -> its broader concepts, for ``concept_ids`` and all their
    ancestors (one query per level)."""
    parents: dict[int, set[int]] = {}
    frontier = set(concept_ids)
    while frontier:
        for concept_id in frontier:
            parents.setdefault(concept_id, set())
        for part in chunks(frontier):
            for source, target in session.execute(select(ConceptRelation.source_id, ConceptRelation.target_id)
                                                  .where(ConceptRelation.kind == RelationKind.BROADER.value,
                                                         ConceptRelation.source_id.in_(part))):
                parents[source].add(target)
        frontier = {t for ids in parents.values() for t in ids} - set(parents)
    return parents


def ancestors(session: Session, concept_ids: Iterable[int]) -> set[int]:
    """Every concept strictly above ``concept_ids`` (broader, transitively)."""
    # Every concept reached going up is some concept's broader (one of
    # ``concept_ids`` too, if it sits above another one).
    return {t for ids in broader_map(session, concept_ids).values() for t in ids}


def records_indexed_with(session: Session, concept_ids: Iterable[int]) -> set[int]:
    records: set[int] = set()
    for part in chunks(set(concept_ids)):
        records.update(session.scalars(select(RecordDescriptor.record_id)
                                       .where(RecordDescriptor.concept_id.in_(part))))
    return records


def mark_records(session: Session, concept_ids: Iterable[int], reason: str, *,
                 with_narrower: bool = False) -> int:
    """Queue for re-indexing the records indexed with ``concept_ids`` (and,
    with ``with_narrower``, with any concept below them: use it when the
    concepts' place in the hierarchy changed). Returns how many records."""
    concept_ids = set(concept_ids)
    if with_narrower:
        concept_ids |= descendants(session, concept_ids)
    return mark_record_ids(session, records_indexed_with(session, concept_ids), reason)


def mark_record_ids(session: Session, record_ids: Iterable[int], reason: str, *, now=None) -> int:
    """Queue ``record_ids`` for re-indexing: one row per record, its time and
    reason refreshed if it was already waiting. Returns how many records.
    Sets ``session.info["reindex"]``."""
    record_ids = set(record_ids)
    if not record_ids:
        return 0
    # Tells the edge that owns the transaction (the web request, a command)
    # to drain the outbox once it has committed: search.indexer.drain.
    session.info["reindex"] = True
    now = now or utcnow()
    reason = reason[:64]
    waiting: set[int] = set()
    for part in chunks(record_ids):
        waiting.update(session.scalars(select(ReindexRequest.record_id).where(ReindexRequest.record_id.in_(part))))
        session.execute(update(ReindexRequest).where(ReindexRequest.record_id.in_(part))
                        .values(requested_at=now, reason=reason), execution_options={"synchronize_session": False})
    fresh = [{"record_id": record_id, "requested_at": now, "reason": reason}
             for record_id in sorted(record_ids - waiting)]
    if fresh:
        session.execute(insert(ReindexRequest), fresh)
    return len(record_ids)
