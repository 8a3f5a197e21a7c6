"""The record-to-search-document projection.

One function builds what a search engine indexes for a work, so every
engine (issue 5) indexes the same thing and the thesaurus knows exactly which
records to re-index when it changes (thesaurus.indexing).

The document holds, for each descriptor, every label of the concept in every
language, entry terms and hidden labels included: "VAE" (an entry term of
"Validation des acquis de l'expérience") finds a record indexed with that
concept. ``descriptor_paths`` adds the ids of the descriptors' broader
ancestors, so a search on a concept can include the records of the concepts
below it. Deprecated descriptors stay in the document (with their status and
replacement) until a documentalist re-indexes the record: a visitor's words
still find it meanwhile.

Related concepts, notes, notations and mappings are deliberately left out:
they do not help find a work, and leaving them out keeps re-indexing small.
"""
from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from thesaurus.indexing import broader_map, chunks
from thesaurus.models import Concept, ConceptLabel

from .models import Record, RecordDescriptor, RecordSubject

LABEL_ORDER = {"pref": 0, "alt": 1, "hidden": 2}


def search_document(session: Session, record_id: int) -> dict | None:
    """The search document of one record; None if the record does not exist
    (the indexer then removes it from the index)."""
    return search_documents(session, [record_id]).get(record_id)


def search_documents(session: Session, record_ids: Iterable[int]) -> dict[int, dict]:
    """record id -> search document, in a fixed number of queries per batch.

    Keys: id, title, subtitle, contributors (names), year, document_type,
    poles, audiences, summary, notes, isbn, issn, subjects (headings as
    received), descriptors ([{id, uri, label_fr, status, replaced_by, labels}]),
    descriptor_paths (ids of the descriptors and all their ancestors, sorted),
    descriptor_terms (every label text of the descriptors, each once).
    """
    documents: dict[int, dict] = {}
    for part in chunks(set(record_ids), 500):
        records = session.scalars(select(Record).where(Record.id.in_(part))).all()
        subjects = defaultdict(list)
        for record_id, heading in session.execute(select(RecordSubject.record_id, RecordSubject.heading)
                                                  .where(RecordSubject.record_id.in_(part))
                                                  .order_by(RecordSubject.id)):
            subjects[record_id].append(heading)
        indexed = defaultdict(list)
        for record_id, concept_id in session.execute(select(RecordDescriptor.record_id, RecordDescriptor.concept_id)
                                                     .where(RecordDescriptor.record_id.in_(part))):
            indexed[record_id].append(concept_id)
        concepts, paths = _descriptors(session, {c for ids in indexed.values() for c in ids})
        for record in records:
            ids = sorted(indexed[record.id])
            documents[record.id] = _document(record, subjects[record.id],
                                             [copy.deepcopy(concepts[c]) for c in ids],
                                             set().union(*(paths[c] for c in ids)))
    return documents


def _document(record: Record, subjects: list[str], descriptors: list[dict], paths: set[int]) -> dict:
    terms: dict[str, None] = {}  # an ordered set
    for descriptor in descriptors:
        for label in descriptor["labels"]:
            terms.setdefault(label["text"])
    return {
        "id": record.id, "title": record.title, "subtitle": record.subtitle,
        "contributors": [c.name for c in record.contributors], "year": record.year,
        "document_type": record.document_type.value,
        "poles": sorted(p.value for p in record.poles), "audiences": sorted(a.value for a in record.audiences),
        "summary": record.summary, "notes": record.notes, "isbn": record.isbn, "issn": record.issn,
        "subjects": subjects,
        "descriptors": descriptors,
        "descriptor_paths": sorted(paths),
        "descriptor_terms": list(terms),
    }


def _descriptors(session: Session, concept_ids: set[int]) -> tuple[dict[int, dict], dict[int, set[int]]]:
    """(concept id -> descriptor entry, concept id -> itself and its ancestors).

    Columns, not ORM objects: the documents must show what is in the
    database, even after bulk statements that bypass the session's objects."""
    labels = defaultdict(list)
    for part in chunks(concept_ids):
        for row in session.execute(select(ConceptLabel.concept_id, ConceptLabel.kind, ConceptLabel.language,
                                          ConceptLabel.text).where(ConceptLabel.concept_id.in_(part))):
            labels[row.concept_id].append({"kind": row.kind, "language": row.language, "text": row.text})
    parents = broader_map(session, concept_ids)
    entries, paths = {}, {}
    for part in chunks(concept_ids):
        for row in session.execute(select(Concept.id, Concept.uri, Concept.pref_label_fr, Concept.status,
                                          Concept.replaced_by_id).where(Concept.id.in_(part))):
            entries[row.id] = {
                "id": row.id, "uri": row.uri, "label_fr": row.pref_label_fr, "status": row.status.value,
                "replaced_by": row.replaced_by_id,
                "labels": sorted(labels[row.id], key=lambda label: (
                    LABEL_ORDER.get(label["kind"], 3), label["language"], label["text"])),
            }
            paths[row.id] = _path(row.id, parents)
    return entries, paths


def _path(concept_id: int, parents: dict[int, set[int]]) -> set[int]:
    path, stack = {concept_id}, [concept_id]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in path:
                path.add(parent)
                stack.append(parent)
    return path

