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
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Contributor,
    Item,
    Record,
    RecordAudience,
    RecordDescriptor,
    RecordPole,
    RecordSubject,
)
from catalogue.vocab import weeded
from core.outbox import chunks
from search.documents import availability, document, isbn_forms, title_sort, value_of, year_range
from thesaurus.indexing import broader_map
from thesaurus.models import Concept, ConceptLabel

# The document's pure parts are in search.documents; kept importable from here.
__all__ = ["availability", "isbn_forms", "iter_search_documents", "search_document", "search_documents",
           "title_sort", "year_range"]

LABEL_ORDER = {"pref": 0, "alt": 1, "hidden": 2}
BATCH = 500
_RECORD_COLUMNS = (Record.id, Record.title, Record.subtitle, Record.year, Record.document_type, Record.summary,
                   Record.notes, Record.isbn, Record.issn, Record.publisher, Record.series, Record.languages,
                   Record.url)


def search_document(session: Session, record_id: int) -> dict | None:
    """The search document of one record; None if the record does not exist
    (the indexer then removes it from the index)."""
    return search_documents(session, [record_id]).get(record_id)


def search_documents(session: Session, record_ids: Iterable[int]) -> dict[int, dict]:
    """record id -> search document, in a fixed number of queries per batch.

    Keys: id, title, subtitle, contributors (names), authors (the same names),
    year, year_range, document_type, poles, audiences, languages (codes),
    summary, notes, isbn, isbns (ISBN-13 and ISBN-10, digits only), issn,
    publisher, series, libraries, availability, title_sort, subjects
    (headings as received), descriptors ([{id, uri, label_fr, status,
    replaced_by, labels}]), descriptor_paths (ids of the descriptors and all
    their ancestors, sorted), descriptor_terms (every label text of the
    descriptors, each once).

    Columns, not ORM objects: the documents show what is in the database,
    even after bulk statements that bypass the session's objects, and a
    full rebuild does not load every record's raw MARC.
    """
    documents: dict[int, dict] = {}
    for part in chunks(sorted(set(record_ids)), BATCH):
        low, high = part[0], part[-1]
        if high - low < 2 * len(part):
            # Mostly consecutive ids (a rebuild, a big import): a range reads
            # at most twice the rows, and compiling an IN list of hundreds
            # of ids costs more than the queries.
            wanted = set(part)
            found = _batch(session, lambda column: column.between(low, high))
            documents.update((i, document) for i, document in found.items() if i in wanted)
        else:
            documents.update(_batch(session, lambda column: column.in_(part)))
    return documents


def iter_search_documents(session: Session, *, batch: int = BATCH, skip: set[int] | frozenset = frozenset()
                          ) -> Iterator[dict]:
    """Every record's document, by id, a batch at a time (for a full rebuild):
    memory stays flat whatever the size of the catalogue. ``skip``: ids of
    records whose documents the caller has already (none is read for them)."""
    last = 0
    while True:
        ids = list(session.scalars(select(Record.id).where(Record.id > last).order_by(Record.id).limit(batch)))
        if not ids:
            return
        last = ids[-1]
        if skip:
            wanted = [i for i in ids if i not in skip]
            if len(wanted) < len(ids):
                found = search_documents(session, wanted) if wanted else {}
                yield from (found[i] for i in wanted if i in found)
                continue
        # A range, not an IN list of hundreds of ids: a full rebuild runs this
        # for every record, and expanding the list costs more than the query.
        low, high = ids[0], ids[-1]
        documents = _batch(session, lambda column: column.between(low, high))
        yield from (documents[i] for i in ids if i in documents)


def _batch(session: Session, records) -> dict[int, dict]:
    """The documents of the records whose id column satisfies ``records(column)``.
    Core rows through the session's connection: the ORM's per-row work would
    be most of a full rebuild's time."""
    connection = session.connection()
    rows = connection.execute(select(*_RECORD_COLUMNS).where(records(Record.id))).all()
    if not rows:
        return {}
    contributors = _grouped(connection, select(Contributor.record_id, Contributor.name)
                            .where(records(Contributor.record_id)).order_by(Contributor.position, Contributor.id))
    subjects = _grouped(connection, select(RecordSubject.record_id, RecordSubject.heading)
                        .where(records(RecordSubject.record_id)).order_by(RecordSubject.id))
    poles = _grouped(connection, select(RecordPole.record_id, RecordPole.pole).where(records(RecordPole.record_id)))
    audiences = _grouped(connection, select(RecordAudience.record_id, RecordAudience.audience)
                         .where(records(RecordAudience.record_id)))
    indexed = _grouped(connection, select(RecordDescriptor.record_id, RecordDescriptor.concept_id)
                       .where(records(RecordDescriptor.record_id)))
    items = defaultdict(list)
    for record_id, library, status in connection.execute(
            select(Item.record_id, Item.library, Item.status).where(records(Item.record_id))).all():
        items[record_id].append((_value(library), _value(status)))
    concepts, paths = _descriptors(session, {c for ids in indexed.values() for c in ids})
    documents = {}
    for row in rows:
        record_id = row[0]
        if weeded([status for _, status in items.get(record_id, ())], _value(row.document_type)):
            continue  # out of the public catalogue: the indexer removes it
        ids = sorted(indexed[record_id]) if record_id in indexed else ()
        documents[record_id] = document(
            row, contributors.get(record_id) or [], subjects.get(record_id) or [],
            _values(poles.get(record_id)), _values(audiences.get(record_id)), items.get(record_id, ()),
            [copy.deepcopy(concepts[c]) for c in ids], set().union(*(paths[c] for c in ids)))
    return documents


def _grouped(connection, query) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for record_id, value in connection.execute(query).all():  # fetchall: iterating fetches row by row
        grouped[record_id].append(value)
    return grouped


_value = value_of


def _values(values: list | None) -> list[str]:
    return sorted(map(_value, values)) if values else []


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

