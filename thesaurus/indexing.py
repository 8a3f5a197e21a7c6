"""Which records must be re-indexed when the thesaurus changes.

A record's search document (search.projection) holds, for each of its
descriptors, the concept's labels, status and replacement, and the ids of
the concept's broader ancestors. So:

- a change of labels or status marks the records indexed with the concept;
- a change of place in the hierarchy (move, merge) marks the records indexed
  with the concept *or any concept below it*, whose ancestor path changed.

Nothing else is marked: notes, notations, related links and mappings are not
in the document. Which records a concept indexes is the catalogue's to say
(``thesaurus.usage``); they are queued in the search outbox (``core.outbox``). ``tests/thesaurus/test_indexing.py`` proves the marking
exact by comparing documents before and after each edit.

Every query walks indexed columns (concept_relations has its primary key on
source_id and an index on target_id), one query per level of the hierarchy.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.outbox import chunks, mark_record_ids
from thesaurus.models import ConceptRelation
from thesaurus.usage import usage
from thesaurus.vocab import RelationKind


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


def mark_records(session: Session, concept_ids: Iterable[int], reason: str, *,
                 with_narrower: bool = False) -> int:
    """Queue for re-indexing the records indexed with ``concept_ids`` (and,
    with ``with_narrower``, with any concept below them: use it when the
    concepts' place in the hierarchy changed). Returns how many records."""
    concept_ids = set(concept_ids)
    if with_narrower:
        concept_ids |= descendants(session, concept_ids)
    return mark_record_ids(session, usage().records(session, concept_ids), reason)
