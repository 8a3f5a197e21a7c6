"""The stored thesaurus as a ``SkosGraph``.

Export, validation of the whole stored thesaurus and every import start from
``load``: a handful of plain SELECTs over whole tables (no ORM objects), so
UNESCO's 4,500 concepts and 45,000 labels load in a fraction of a second.
The graph returned is normalised: ``broader`` only (narrower is its inverse)
and ``related`` in both directions, as the tables store them. It carries
what imported files said beyond the model, and concepts' dates follow the
rules of ``thesaurus.store.unmodelled``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from thesaurus.models import (
    CollectionMember,
    Concept,
    ConceptCollection,
    ConceptLabel,
    ConceptMapping,
    ConceptNote,
    ConceptRelation,
    ConceptScheme,
)
from thesaurus.skos.graph import CollectionData, ConceptData, Label, Note, SchemeData, SkosGraph
from thesaurus.store.unmodelled import attach
from thesaurus.vocab import RelationKind

BROADER = RelationKind.BROADER.value
RELATED = RelationKind.RELATED.value


@dataclass
class Stored:
    """The stored thesaurus and the database ids behind its URIs."""

    graph: SkosGraph
    concept_ids: dict[str, int] = field(default_factory=dict)
    collection_ids: dict[str, int] = field(default_factory=dict)
    scheme_ids: dict[str, int] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)  # concept id -> version


def load_graph(session: Session, scheme_uri: str | None = None) -> SkosGraph:
    """The stored thesaurus (or one scheme of it) as a normalised ``SkosGraph``."""
    return load(session, scheme_uri).graph


def load(session: Session, scheme_uri: str | None = None) -> Stored:
    """The stored thesaurus with its ids. With ``scheme_uri``, only that
    scheme, its concepts and its collections; relations to concepts of other
    schemes are kept as URIs."""
    schemes = {row.id: row for row in session.execute(select(
        ConceptScheme.id, ConceptScheme.uri, ConceptScheme.titles, ConceptScheme.title))}
    wanted = None
    if scheme_uri is not None:
        wanted = {sid for sid, row in schemes.items() if row.uri == scheme_uri}
    stored = Stored(SkosGraph())
    graph = stored.graph
    for sid, row in schemes.items():
        if wanted is None or sid in wanted:
            graph.schemes[row.uri] = SchemeData(row.uri, _named(row.titles, row.title, row.uri))
            stored.scheme_ids[row.uri] = sid

    uris = dict(session.execute(select(Concept.id, Concept.uri)).all())
    by_id: dict[int, ConceptData] = {}
    query = select(Concept.id, Concept.uri, Concept.notation, Concept.status, Concept.replaced_by_id,
                   Concept.top_concept, Concept.scheme_id, Concept.created_at, Concept.updated_at,
                   Concept.version)
    for row in session.execute(query):
        if wanted is not None and row.scheme_id not in wanted:
            continue
        scheme = schemes[row.scheme_id].uri if row.scheme_id in schemes else None
        concept = ConceptData(
            row.uri, notation=row.notation, status=_value(row.status),
            replaced_by=uris.get(row.replaced_by_id), created=row.created_at, modified=row.updated_at,
            schemes={scheme} if scheme else set(), top_of={scheme} if scheme and row.top_concept else set())
        if scheme and row.top_concept and scheme in graph.schemes:
            graph.schemes[scheme].top_concepts.add(row.uri)
        by_id[row.id] = graph.concepts[row.uri] = concept
        stored.concept_ids[row.uri] = row.id
        stored.versions[row.id] = row.version

    # Whole tables, filtered in Python: cheaper than an IN list of thousands of ids.
    for cid, kind, language, text in session.execute(select(
            ConceptLabel.concept_id, ConceptLabel.kind, ConceptLabel.language, ConceptLabel.text)
            .order_by(ConceptLabel.id)):
        if cid in by_id:
            by_id[cid].labels.append(Label(kind, language, text))
    for cid, kind, language, text in session.execute(select(
            ConceptNote.concept_id, ConceptNote.kind, ConceptNote.language, ConceptNote.text)
            .order_by(ConceptNote.id)):
        if cid in by_id:
            by_id[cid].notes.append(Note(kind, language, text))
    for source, kind, target in session.execute(select(
            ConceptRelation.source_id, ConceptRelation.kind, ConceptRelation.target_id)):
        if source in by_id:
            (by_id[source].broader if kind == BROADER else by_id[source].related).add(uris[target])
    for cid, kind, uri in session.execute(select(ConceptMapping.concept_id, ConceptMapping.kind,
                                                 ConceptMapping.uri)):
        if cid in by_id:
            by_id[cid].mappings.add((kind, uri))
    _load_collections(session, stored, schemes, wanted, uris)
    attach(session, graph, by_id, stored.versions, {cid: uri for uri, cid in stored.collection_ids.items()},
           {sid: uri for uri, sid in stored.scheme_ids.items()}, wanted)
    return stored


def _load_collections(session, stored: Stored, schemes, wanted, uris) -> None:
    rows = session.execute(select(ConceptCollection.id, ConceptCollection.uri, ConceptCollection.scheme_id,
                                  ConceptCollection.parent_id, ConceptCollection.notation,
                                  ConceptCollection.label_fr, ConceptCollection.labels)).all()
    by_id = {}
    for row in rows:
        if wanted is not None and row.scheme_id not in wanted:
            continue
        scheme = schemes[row.scheme_id].uri if row.scheme_id in schemes else None
        by_id[row.id] = stored.graph.collections[row.uri] = CollectionData(
            row.uri, labels=_named(row.labels, row.label_fr, row.uri), notation=row.notation,
            schemes={scheme} if scheme else set())
        stored.collection_ids[row.uri] = row.id
    for row in rows:
        if row.id in by_id and row.parent_id in by_id:
            by_id[row.parent_id].members.add(row.uri)
    members = defaultdict(set)
    for collection_id, concept_id in session.execute(select(CollectionMember.collection_id,
                                                            CollectionMember.concept_id)):
        members[collection_id].add(concept_id)
    for collection_id, concept_ids in members.items():
        if collection_id in by_id:
            by_id[collection_id].members.update(uris[cid] for cid in concept_ids)


def _named(names: dict | None, name: str, uri: str) -> dict[str, str]:
    """Titles by language; a scheme or collection made here may only have its
    French one (its URI when it has none)."""
    return dict(names or {}) or ({"fr": name} if name and name != uri else {})


def _value(status) -> str:
    return getattr(status, "value", status)


def as_utc(value) -> dt.datetime | None:
    """A date or datetime from a SKOS file as an aware UTC datetime (naive = UTC)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)
