"""Writing an imported thesaurus back, in bulk.

An import touches tens of thousands of rows (UNESCO: 4,500 concepts, 45,000
labels, 17,000 relations), so rows go through Core executemany statements
(``core.bulk.BulkInsert``) rather than ORM units of work. Only the
concepts an import adds or changes are written: a changed concept's labels,
notes, mappings, outgoing relations and memberships are deleted and
inserted again from the graph, which is simpler than diffing each and costs
little for the few concepts a re-import usually changes.

Ids of new concepts and collections are allocated up front
(``core.bulk.allocate_ids``) so relations between new rows can be
written in the same pass. Links between new rows (replacement, parent
collection) are set by a second UPDATE, because each row is checked against
its foreign keys as it is inserted.
"""
from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.orm import Session

from core.bulk import BulkInsert, allocate_ids
from core.text import fold
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
from thesaurus.overlay import Changes, memberships
from thesaurus.skos.graph import ConceptData, SkosGraph
from thesaurus.store.load import Stored, as_utc
from thesaurus.vocab import ConceptStatus, RelationKind

CHUNK = 5000  # ids per IN list, well below SQLite's bound-parameter limit
CONCEPTS = Concept.__table__
COLLECTIONS = ConceptCollection.__table__
CONCEPT_COLUMNS = ("id", "scheme_id", "uri", "notation", "pref_label_fr", "pref_label_en", "status",
                   "replaced_by_id", "top_concept", "created_at", "updated_at", "created_by_id",
                   "updated_by_id", "version")


def apply(session: Session, stored: Stored, after: SkosGraph, changes: Changes, *,
          actor_id: int | None, now) -> dict[str, int]:
    """Write ``changes`` (computed from ``stored`` and ``after``). Returns the
    id of every concept URI of ``after``."""
    connection = session.connection()
    scheme_ids = _write_schemes(session, stored, after, now)
    ids = dict(stored.concept_ids)
    ids.update(zip(changes.added, allocate_ids(session, CONCEPTS, len(changes.added))))

    rows = [_concept_row(after.concepts[uri], ids, scheme_ids, actor_id, now) for uri in changes.added]
    links = [{"b_id": row["id"], "b_replaced": row["replaced_by_id"]} for row in rows if row["replaced_by_id"]]
    for row in rows:
        row["replaced_by_id"] = None
    BulkInsert(session, CONCEPTS, CONCEPT_COLUMNS).insert(rows)
    if links:
        connection.execute(update(CONCEPTS).where(CONCEPTS.c.id == bindparam("b_id"))
                           .values(replaced_by_id=bindparam("b_replaced")), links)

    existing = changes.changed + changes.deprecated
    if existing:
        updates = []
        for uri in existing:
            row = _concept_row(after.concepts[uri], ids, scheme_ids, actor_id, now)
            updates.append({f"b_{name}": row[name] for name in CONCEPT_COLUMNS
                            if name not in ("uri", "created_at", "created_by_id", "version")}
                           | {"b_updated_at": now})
        values = {name: bindparam(f"b_{name}") for name in CONCEPT_COLUMNS
                  if name not in ("id", "uri", "created_at", "created_by_id", "version")}
        connection.execute(update(CONCEPTS).where(CONCEPTS.c.id == bindparam("b_id"))
                           .values(**values, version=CONCEPTS.c.version + 1), updates)
        existing_ids = [ids[uri] for uri in existing]
        for table, column in ((ConceptLabel, "concept_id"), (ConceptNote, "concept_id"),
                              (ConceptMapping, "concept_id"), (ConceptRelation, "source_id"),
                              (CollectionMember, "concept_id")):
            for start in range(0, len(existing_ids), CHUNK):
                part = existing_ids[start:start + CHUNK]
                connection.execute(delete(table).where(getattr(table, column).in_(part)))

    collection_ids = _write_collections(session, stored, after, scheme_ids, now)
    _insert_parts(session, after, changes.written, ids, collection_ids)
    session.expire_all()  # rows changed under the ORM's feet
    return ids


def _concept_row(concept: ConceptData, ids, scheme_ids, actor_id, now) -> dict:
    scheme = next(iter(concept.schemes), None)
    return {"id": ids[concept.uri], "scheme_id": scheme_ids.get(scheme), "uri": concept.uri,
            "notation": concept.notation, "pref_label_fr": _pref_fr(concept), "pref_label_en": concept.pref("en"),
            "status": ConceptStatus(concept.status), "replaced_by_id": ids.get(concept.replaced_by),
            "top_concept": bool(concept.top_of), "created_at": as_utc(concept.created) or now,
            "updated_at": as_utc(concept.modified) or now, "created_by_id": actor_id,
            "updated_by_id": actor_id, "version": 1}


def _pref_fr(concept: ConceptData) -> str:
    """The French preferred label, or (for a concept the checks let through
    without one) another preferred label, or the end of its URI."""
    prefs = sorted((label.language != "", label.language, label.text)
                   for label in concept.labels if label.kind == "pref")
    return concept.pref("fr") or (prefs[0][2] if prefs else concept.uri.rstrip("/#").rsplit("/", 1)[-1])


def _insert_parts(session, after: SkosGraph, uris: list[str], ids, collection_ids) -> None:
    labels, notes, mappings, relations, members = [], [], [], [], []
    member_of = memberships(after)
    for uri in uris:
        concept, cid = after.concepts[uri], ids[uri]
        labels += [{"concept_id": cid, "kind": label.kind, "language": label.language, "text": label.text,
                    "key": fold(label.text)} for label in concept.labels]
        notes += [{"concept_id": cid, "kind": note.kind, "language": note.language, "text": note.text}
                  for note in concept.notes]
        mappings += [{"concept_id": cid, "kind": kind, "uri": target} for kind, target in sorted(concept.mappings)]
        relations += [{"source_id": cid, "kind": RelationKind.BROADER.value, "target_id": ids[target]}
                      for target in sorted(concept.broader)]
        relations += [{"source_id": cid, "kind": RelationKind.RELATED.value, "target_id": ids[target]}
                      for target in sorted(concept.related)]
        members += [{"collection_id": collection_ids[c], "concept_id": cid} for c in sorted(member_of.get(uri, ()))]
    BulkInsert(session, ConceptLabel.__table__, ("concept_id", "kind", "language", "text", "key")).insert(labels)
    BulkInsert(session, ConceptNote.__table__, ("concept_id", "kind", "language", "text")).insert(notes)
    BulkInsert(session, ConceptMapping.__table__, ("concept_id", "kind", "uri")).insert(mappings)
    BulkInsert(session, ConceptRelation.__table__, ("source_id", "kind", "target_id")).insert(relations)
    BulkInsert(session, CollectionMember.__table__, ("collection_id", "concept_id")).insert(members)


def _write_schemes(session, stored: Stored, after: SkosGraph, now) -> dict[str, int]:
    """Few rows: plain statements. Returns scheme URI -> id."""
    ids = dict(stored.scheme_ids)
    table = ConceptScheme.__table__
    for uri, scheme in sorted(after.schemes.items()):
        titles = dict(scheme.titles)
        title = _first(titles) or uri
        if uri not in ids:
            ids[uri] = session.execute(insert(table).values(uri=uri, title=title, titles=titles, created_at=now,
                                                            updated_at=now).returning(table.c.id)).scalar_one()
        elif stored.graph.schemes[uri].titles != titles:
            session.execute(update(table).where(table.c.id == ids[uri])
                            .values(title=title, titles=titles, updated_at=now))
    return ids


def _write_collections(session, stored: Stored, after: SkosGraph, scheme_ids, now) -> dict[str, int]:
    """Insert new collections and update those whose fields changed (the
    advice pole, set here and unknown to SKOS, is left alone)."""
    ids = dict(stored.collection_ids)
    wanted, before = _collection_rows(after, scheme_ids), _collection_rows(stored.graph, scheme_ids)
    new = [uri for uri in wanted if uri not in ids]
    ids.update(zip(new, allocate_ids(session, COLLECTIONS, len(new))))
    if new:
        columns = ("id", "uri", "scheme_id", "parent_id", "notation", "label_fr", "labels", "created_at",
                   "updated_at")
        BulkInsert(session, COLLECTIONS, columns).insert(
            [{**wanted[uri], "id": ids[uri], "uri": uri, "parent_id": None, "created_at": now,
              "updated_at": now} for uri in new])
    # New ones too: their parent may be another new one, inserted after them.
    changed = [{**{f"b_{k}": v for k, v in row.items()}, "b_id": ids[uri], "b_parent_id": ids.get(row["parent_id"])}
               for uri, row in wanted.items() if uri in new or before.get(uri) != row]
    if changed:
        values = {name: bindparam(f"b_{name}", type_=COLLECTIONS.c[name].type)
                  for name in ("scheme_id", "parent_id", "notation", "label_fr", "labels")}
        session.connection().execute(update(COLLECTIONS).where(COLLECTIONS.c.id == bindparam("b_id"))
                                     .values(**values, updated_at=now), changed)
    return ids


def collection_parents(graph: SkosGraph) -> dict[str, str]:
    """Sub-collection URI -> the one parent collection the tables hold for it
    (the first in URI order, when a file gives several)."""
    parents: dict[str, str] = {}
    for uri in sorted(graph.collections):
        for member in graph.collections[uri].members:
            if member in graph.collections and member != uri:
                parents.setdefault(member, uri)
    return parents


def as_stored(graph: SkosGraph) -> SkosGraph:
    """``graph`` (an import's result) reduced, in place, to what the tables
    hold of it, so that its lines are the ones a later export makes: a
    sub-collection stays under one parent only (``collection_parents``)."""
    parents = collection_parents(graph)
    for uri, collection in graph.collections.items():
        collection.members = {m for m in collection.members if m not in parents or parents[m] == uri}
    return graph


def _collection_rows(graph: SkosGraph, scheme_ids) -> dict[str, dict]:
    parents = collection_parents(graph)
    return {uri: {"scheme_id": scheme_ids.get(min(c.schemes) if c.schemes else None), "parent_id": parents.get(uri),
                  "notation": c.notation, "label_fr": c.labels.get("fr") or _first(c.labels) or uri,
                  "labels": dict(c.labels)}
            for uri, c in graph.collections.items()}


def _first(names: dict[str, str]) -> str | None:
    for language in ("fr", "en", ""):
        if names.get(language):
            return names[language]
    return next((names[k] for k in sorted(names) if names[k]), None)
